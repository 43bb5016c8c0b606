package dev.hoist.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An HTTP/1.1 server on a loopback port that answers each request with raw bytes from a script, for
 * faults WireMock cannot make: a body cut short of its Content-Length, a connection reset mid-body,
 * a body that stops coming. Records each request head.
 */
final class RawHttpServer implements AutoCloseable {
  /**
   * What to send back: raw bytes, then a clean close, a reset (RST), or silence with the connection
   * open until the client hangs up (a stalled registry).
   */
  record Reply(byte[] bytes, boolean reset, boolean stall) {
    Reply(byte[] bytes, boolean reset) {
      this(bytes, reset, false);
    }
  }

  private final ServerSocket server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Thread thread;

  RawHttpServer(Function<String, Reply> script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    thread =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                  String head = readHead(s.getInputStream());
                  requests.add(head);
                  Reply r = script.apply(head);
                  OutputStream out = s.getOutputStream();
                  out.write(r.bytes());
                  out.flush();
                  if (r.reset()) {
                    s.setSoLinger(true, 0);
                  }
                  if (r.stall()) {
                    s.getInputStream().transferTo(OutputStream.nullOutputStream());
                  }
                } catch (IOException e) {
                  // closed, or a client that went away
                }
              }
            },
            "raw-http");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return server.getLocalPort();
  }

  List<String> requests() {
    return List.copyOf(requests);
  }

  static byte[] response(String statusLine, List<String> headers, byte[] body, int bodyBytes) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    StringBuilder h = new StringBuilder("HTTP/1.1 ").append(statusLine).append("\r\n");
    headers.forEach(x -> h.append(x).append("\r\n"));
    h.append("Connection: close\r\n\r\n");
    b.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
    b.write(body, 0, bodyBytes);
    return b.toByteArray();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      state = (c == '\r' || c == '\n') ? state + 1 : 0;
      if (state == 4) {
        break;
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
