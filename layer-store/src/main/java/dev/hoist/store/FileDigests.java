package dev.hoist.store;

import dev.hoist.image.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/** Hashing whole files in large reads (a blob check is bound by the hash, not by syscalls). */
final class FileDigests {
  private static final int BUFFER = 1 << 20;

  private FileDigests() {}

  /** The digest of {@code file}'s bytes in {@code algorithm}, and how many there were. */
  record Result(Digest digest, long size) {}

  static Result of(Path file, String algorithm) throws IOException {
    MessageDigest hash = Digest.newMessageDigest(algorithm);
    ByteBuffer buf = ByteBuffer.allocate(BUFFER);
    long size = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (ch.read(buf) >= 0) {
        buf.flip();
        size += buf.remaining();
        hash.update(buf);
        buf.clear();
      }
    }
    return new Result(Digest.of(algorithm, hash.digest()), size);
  }
}
