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
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 server on a loopback port that answers every GET with a chunked body that never ends
 * (until the client hangs up), for the endless-body faults; a HEAD gets the head alone. Counts the
 * body bytes it wrote.
 */
final class EndlessHttpServer implements AutoCloseable {
  private static final byte[] CHUNK =
      "0123456789abcdef".repeat(4096).getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  /**
   * Starts the server.
   *
   * @param headers extra response headers, such as a Content-Type
   */
  EndlessHttpServer(List<String> headers) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    StringBuilder h = new StringBuilder("HTTP/1.1 200 OK\r\n");
    headers.forEach(x -> h.append(x).append("\r\n"));
    h.append("Transfer-Encoding: chunked\r\n\r\n");
    byte[] head = h.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] chunkHead =
        (Integer.toHexString(CHUNK.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  Thread c = new Thread(() -> serve(s, head, chunkHead, crlf), "endless-conn");
                  c.setDaemon(true);
                  c.start();
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "endless-http");
    t.setDaemon(true);
    t.start();
  }

  /** One connection: a HEAD gets the head alone, anything else the endless body. */
  private void serve(Socket s, byte[] head, byte[] chunkHead, byte[] crlf) {
    try (s) {
      String request = readHead(s.getInputStream());
      OutputStream out = s.getOutputStream();
      out.write(head);
      if (request.startsWith("HEAD ")) {
        return;
      }
      requests.incrementAndGet();
      while (!server.isClosed()) {
        out.write(chunkHead);
        out.write(CHUNK);
        out.write(crlf);
        written.addAndGet(CHUNK.length);
      }
    } catch (IOException clientLeft) {
      // the client stopped reading: what the test wants
    }
  }

  int port() {
    return server.getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Body bytes written so far (the client read at most this many). */
  long written() {
    return written.get();
  }

  /** Requests answered with the endless body (HEADs not counted). */
  long requests() {
    return requests.get();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    int c;
    while (state < 4 && (c = in.read()) >= 0) {
      b.write(c);
      state = (c == '\r' || c == '\n') ? state + 1 : 0;
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
