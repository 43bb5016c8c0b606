package dev.hoist.registry;

import dev.hoist.image.BlobSink;
import dev.hoist.image.BlobSource;
import dev.hoist.image.BlobWriter;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.DigestMismatchException;
import dev.hoist.image.DigestingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blob store in a temp dir for tests: {@code blobs/<algo>/<hex>}, written through temp files and
 * committed only after the digest and size check, as the real store does. {@link #partial} plants
 * the first bytes of a blob as if an earlier download had broken there.
 */
final class TestBlobStore implements BlobSink, BlobSource {
  private final Path dir;
  private final AtomicInteger temp = new AtomicInteger();
  private volatile byte[] plantedPrefix;
  private volatile Digest plantedFor;
  private volatile boolean holdsNoManifests;

  TestBlobStore(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir.resolve("tmp"));
  }

  Path path(Digest d) {
    return dir.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
  }

  /** The next writer for {@code d} starts with {@code prefix} already written. */
  void partial(Digest d, byte[] prefix) {
    this.plantedFor = d;
    this.plantedPrefix = prefix.clone();
  }

  /** From now on, says it cannot hold any manifest a pull asks about (as an empty store does). */
  void holdsNoManifests(boolean v) {
    this.holdsNoManifests = v;
  }

  @Override
  public boolean mayHoldManifestOf(dev.hoist.image.Reference ref) {
    return !holdsNoManifests;
  }

  /** Stores {@code bytes} directly (test set-up) and describes them. */
  Descriptor put(String mediaType, byte[] bytes) throws IOException {
    Descriptor d = Descriptor.of(mediaType, bytes);
    Path p = path(d.digest());
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
    return d;
  }

  byte[] read(Digest d) throws IOException {
    return Files.readAllBytes(path(d));
  }

  long count() throws IOException {
    Path b = dir.resolve("blobs");
    if (!Files.exists(b)) {
      return 0;
    }
    try (var s = Files.walk(b)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Override
  public boolean contains(Digest digest) {
    return Files.exists(path(digest));
  }

  @Override
  public long size(Digest digest) throws IOException {
    Path p = path(digest);
    if (!Files.exists(p)) {
      throw new NoSuchFileException(p.toString());
    }
    return Files.size(p);
  }

  @Override
  public InputStream open(Digest digest) throws IOException {
    return Files.newInputStream(path(digest));
  }

  @Override
  public BlobWriter writer(Digest expected, long expectedSize) throws IOException {
    Path tmp = dir.resolve("tmp").resolve("w" + temp.incrementAndGet());
    OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW);
    long[] written = {0};
    if (expected.equals(plantedFor)) {
      out.write(plantedPrefix);
      written[0] = plantedPrefix.length;
      plantedFor = null;
    }
    OutputStream counting =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            out.write(b);
            written[0]++;
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            written[0] += len;
          }
        };
    return new BlobWriter() {
      boolean committed;

      @Override
      public OutputStream stream() {
        return counting;
      }

      @Override
      public long written() {
        return written[0];
      }

      @Override
      public Descriptor commit(String mediaType) throws IOException {
        out.close();
        Digest actual;
        long size;
        try (DigestingInputStream in =
            new DigestingInputStream(Files.newInputStream(tmp), expected.algorithm())) {
          in.transferTo(OutputStream.nullOutputStream());
          actual = in.digest();
          size = in.count();
        }
        if (!actual.equals(expected) || (expectedSize >= 0 && size != expectedSize)) {
          Files.deleteIfExists(tmp);
          throw new DigestMismatchException("blob " + expected, expected, actual, size);
        }
        Path p = path(expected);
        Files.createDirectories(p.getParent());
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        committed = true;
        return Descriptor.of(mediaType, expected, size);
      }

      @Override
      public void close() throws IOException {
        out.close();
        if (!committed) {
          Files.deleteIfExists(tmp);
        }
      }
    };
  }
}
