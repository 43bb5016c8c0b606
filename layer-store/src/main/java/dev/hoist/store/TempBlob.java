package dev.hoist.store;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.DigestingOutputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A blob whose digest is not known in advance: bytes are written to a temp file of the store and
 * hashed on the way; {@link #finish} fixes the digest, {@link #commit} renames the file into the
 * store under it. Because the store computed the digest itself while the bytes went to disk, the
 * commit does not read them again (unlike {@link Store#putTempFile}, which must trust nobody).
 * Closing without a commit deletes the file.
 */
public final class TempBlob implements Closeable {
  private final Store store;
  private final Path file;
  private final FileChannel channel;
  private final DigestingOutputStream out;
  private Optional<Digest> digest = Optional.empty();
  private boolean committed;
  private boolean closed;

  TempBlob(Store store, Path file) throws IOException {
    this.store = store;
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
    this.out =
        new DigestingOutputStream(
            new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
  }

  /** Where to write the bytes; closing it is not needed (and does not finish the blob). */
  public OutputStream stream() {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }

  /** Flushes and fsyncs the bytes and returns their sha256; no more writes after this. */
  public Digest finish() throws IOException {
    if (digest.isEmpty()) {
      out.flush();
      channel.force(true);
      channel.close();
      digest = Optional.of(out.digest());
    }
    return digest.get();
  }

  public long size() {
    return out.count();
  }

  /** The temp file (to read the bytes back, e.g. to check a layer's diff id). */
  public Path file() {
    return file;
  }

  /** Moves the blob into the store under its digest; a second commit only describes it again. */
  public Descriptor commit(String mediaType) throws IOException {
    Digest d = finish();
    if (!committed) {
      if (closed) {
        throw new IllegalStateException("temp blob " + file + " was discarded");
      }
      store.leases().ensure();
      store.moveIntoPlace(file, d);
      committed = true;
    }
    return Descriptor.of(mediaType, d, size());
  }

  public boolean committed() {
    return committed;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      channel.close();
    } finally {
      if (!committed) {
        Files.deleteIfExists(file);
      }
    }
  }
}
