package dev.hoist.store.layer;

import dev.hoist.image.CountingInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Decompressed bytes, counted against the compressed bytes read, refused past a limit. */
final class LimitedDecompressionStream extends CountingInputStream {
  private final CountingInputStream compressed;
  private final DecompressionLimit limit;
  private final String label;

  LimitedDecompressionStream(
      InputStream decompressed,
      CountingInputStream compressed,
      DecompressionLimit limit,
      String label) {
    super(decompressed);
    this.compressed = compressed;
    this.limit = limit;
    this.label = label;
  }

  @Override
  protected void update(int b) throws IOException {
    check();
  }

  @Override
  protected void update(byte[] b, int off, int len) throws IOException {
    check();
  }

  @Override
  protected void skipped(long n) throws IOException {
    check();
  }

  private void check() throws IOException {
    String violation = limit.violation(count(), compressed.count());
    if (!violation.isEmpty()) {
      throw new DecompressionBombException(label + ": " + violation);
    }
  }
}
