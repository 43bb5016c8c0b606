package dev.hoist.builder.ssh;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An SSH agent socket for one RUN step, on the host, that the sandbox binds into the step: each
 * connection is forwarded to the host's agent, or answered from key files by a {@link KeyAgent}. A
 * socket of hoist's own (not the host agent's socket bound in) lets the step's mount take its own
 * owner and mode without touching the host agent's socket, and outlives nothing: {@link #close}
 * stops it and removes the socket.
 */
public final class AgentServer implements Closeable {
  /** The largest request the agent protocol sends (OpenSSH's own limit). */
  private static final int MAX_MESSAGE = 256 * 1024;

  private final SshSource source;
  private final KeyAgent keys;
  private final Path socket;
  private final ServerSocketChannel server;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

  private AgentServer(SshSource source, KeyAgent keys, Path socket, ServerSocketChannel server) {
    this.source = source;
    this.keys = keys;
    this.socket = socket;
    this.server = server;
  }

  /**
   * Checks that {@code source} can be served: its agent socket exists, its keys load.
   *
   * @throws IOException naming the socket or key file that cannot
   */
  public static void verify(SshSource source) throws IOException {
    if (source instanceof SshSource.KeyFiles files) {
      KeyAgent.load(files.keys());
    } else {
      Path s = ((SshSource.AgentSocket) source).socket();
      if (!Files.exists(s)) {
        throw new IOException("ssh agent socket " + s + " does not exist");
      }
    }
  }

  /** Starts serving {@code source} on a new socket at {@code socket}. */
  public static AgentServer start(SshSource source, Path socket) throws IOException {
    KeyAgent keys = source instanceof SshSource.KeyFiles files ? KeyAgent.load(files.keys()) : null;
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    AgentServer agent = new AgentServer(source, keys, socket, server);
    Thread accept = new Thread(agent::acceptLoop, "ssh-agent " + socket.getFileName());
    accept.setDaemon(true);
    accept.start();
    return agent;
  }

  public Path socket() {
    return socket;
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      open.add(client);
      Thread t = new Thread(() -> serve(client), "ssh-agent connection");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(SocketChannel client) {
    try (client) {
      if (keys != null) {
        answer(client);
      } else {
        forward(client, ((SshSource.AgentSocket) source).socket());
      }
    } catch (IOException e) {
      // The step closed its end, or the host agent went away: that connection ends, no other.
    } finally {
      open.remove(client);
    }
  }

  private void answer(SocketChannel client) throws IOException {
    DataInputStream in = new DataInputStream(Channels.newInputStream(client));
    OutputStream out = Channels.newOutputStream(client);
    while (true) {
      int length;
      try {
        length = in.readInt();
      } catch (EOFException e) {
        return;
      }
      if (length <= 0 || length > MAX_MESSAGE) {
        return;
      }
      byte[] reply = keys.answer(in.readNBytes(length));
      SshKey.WireWriter w = new SshKey.WireWriter();
      w.string(reply);
      out.write(w.bytes());
    }
  }

  private void forward(SocketChannel client, Path agent) throws IOException {
    try (SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(agent))) {
      open.add(upstream);
      Thread back = new Thread(() -> pump(upstream, client), "ssh-agent reply");
      back.setDaemon(true);
      back.start();
      pump(client, upstream);
      try {
        back.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Copies {@code from} to {@code to} until {@code from} ends, then ends {@code to}'s output. On
   * the channels themselves: the streams of {@code Channels} lock a channel for a read, which would
   * block the other direction's write on the same channel.
   */
  private static void pump(SocketChannel from, SocketChannel to) {
    ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
    try {
      while (from.read(buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          to.write(buffer);
        }
        buffer.clear();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // One side closed: the other pump ends on its own.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (SocketChannel c : List.copyOf(open)) {
      c.close();
    }
    Files.deleteIfExists(socket);
  }
}
