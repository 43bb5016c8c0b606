package dev.hoist.builder.ssh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SSH agent protocol (draft-miller-ssh-agent) over keys of hoist's own: it lists them and signs
 * with them, and answers everything else (adding, removing, locking keys, extensions) with failure,
 * as a read-only agent should.
 */
final class KeyAgent {
  private static final int FAILURE = 5;
  private static final int REQUEST_IDENTITIES = 11;
  private static final int IDENTITIES_ANSWER = 12;
  private static final int SIGN_REQUEST = 13;
  private static final int SIGN_RESPONSE = 14;

  private final List<SshKey> keys;

  private KeyAgent(List<SshKey> keys) {
    this.keys = List.copyOf(keys);
  }

  /** Loads every key file; the first that cannot be served fails with its name. */
  static KeyAgent load(List<Path> files) throws IOException {
    List<SshKey> keys = new ArrayList<>();
    for (Path file : files) {
      try {
        keys.add(SshKey.read(file));
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IOException("ssh key " + file + " does not exist", e);
      } catch (IOException e) {
        throw new IOException("ssh key " + file + ": " + e.getMessage(), e);
      }
    }
    return new KeyAgent(keys);
  }

  /** The reply to one request (its payload, without the length prefix). */
  byte[] answer(byte[] request) {
    if (request.length == 0) {
      return new byte[] {FAILURE};
    }
    SshKey.WireWriter w = new SshKey.WireWriter();
    try {
      switch (request[0]) {
        case REQUEST_IDENTITIES -> {
          w.byte1(IDENTITIES_ANSWER);
          w.uint32(keys.size());
          for (SshKey k : keys) {
            w.string(k.publicBlob());
            // No comment, as buildx's agent for key files: a host path means nothing in the step.
            w.string(new byte[0]);
          }
        }
        case SIGN_REQUEST -> {
          ByteBuffer in = ByteBuffer.wrap(request, 1, request.length - 1);
          byte[] blob = string(in);
          byte[] data = string(in);
          int flags = in.remaining() >= 4 ? in.getInt() : 0;
          SshKey key =
              keys.stream()
                  .filter(k -> Arrays.equals(k.publicBlob(), blob))
                  .findFirst()
                  .orElse(null);
          if (key == null) {
            return new byte[] {FAILURE};
          }
          w.byte1(SIGN_RESPONSE);
          w.string(key.sign(data, flags));
        }
        default -> {
          return new byte[] {FAILURE};
        }
      }
    } catch (IOException | RuntimeException e) {
      // A malformed request or a key that cannot sign: the client sees a refusal, as from
      // ssh-agent.
      return new byte[] {FAILURE};
    }
    return w.bytes();
  }

  private static byte[] string(ByteBuffer in) {
    int n = in.getInt();
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException("bad string length " + n);
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }
}
