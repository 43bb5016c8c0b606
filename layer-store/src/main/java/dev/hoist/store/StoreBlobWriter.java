package dev.hoist.store;

import dev.hoist.image.BlobWriter;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.DigestMismatchException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Streams one blob into a temp file of the store, hashing as it goes; {@link #commit} checks size
 * and digest, fsyncs, and renames the file to its digest name.
 */
final class StoreBlobWriter implements BlobWriter {
  private final Store store;
  private final Digest expected;
  private final long expectedSize;
  private final Path tmp;
  private final FileChannel channel;
  private final MessageDigest hash;
  private final OutputStream stream;
  private final Writeback writeback;
  private long written;
  private boolean done;

  StoreBlobWriter(Store store, Digest expected, long expectedSize, Path tmp) throws IOException {
    this.store = store;
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.tmp = tmp;
    this.channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
    this.hash = expected.newMessageDigest();
    this.writeback = new Writeback(channel);
    OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    this.stream =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            try {
              file.write(b);
            } catch (IOException e) {
              throw writeFailed(e);
            }
            hash.update((byte) b);
            written++;
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            try {
              file.write(b, off, len);
            } catch (IOException e) {
              throw writeFailed(e);
            }
            hash.update(b, off, len);
            written += len;
            writeback.wrote(written);
          }

          @Override
          public void flush() throws IOException {
            try {
              file.flush();
            } catch (IOException e) {
              throw writeFailed(e);
            }
          }

          @Override
          public void close() {
            // the writer owns the file; commit() or close() on the writer ends it
          }
        };
  }

  /** A write error (ENOSPC, EDQUOT, EIO) named by the temp file: the reason alone names none. */
  private IOException writeFailed(IOException e) {
    return new IOException(
        "cannot write " + tmp + " (blob " + expected + "): " + e.getMessage(), e);
  }

  @Override
  public OutputStream stream() {
    return stream;
  }

  @Override
  public long written() {
    return written;
  }

  @Override
  public Descriptor commit(String mediaType) throws IOException {
    if (done) {
      throw new IllegalStateException("blob " + expected + " was already committed or discarded");
    }
    try {
      stream.flush();
      if (expectedSize >= 0 && written != expectedSize) {
        throw new IOException(
            "blob "
                + expected
                + ": expected "
                + expectedSize
                + " bytes but "
                + written
                + " were written; the source is truncated or lying, nothing was stored");
      }
      Digest actual = Digest.of(expected.algorithm(), hash.digest());
      if (!actual.equals(expected)) {
        throw new DigestMismatchException("blob " + expected, expected, actual, written);
      }
      try {
        channel.force(true);
        channel.close();
      } catch (IOException e) {
        throw writeFailed(e);
      }
      store.moveIntoPlace(tmp, expected);
      return Descriptor.of(mediaType, expected, written);
    } finally {
      close();
    }
  }

  @Override
  public void close() throws IOException {
    if (done) {
      return;
    }
    done = true;
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
