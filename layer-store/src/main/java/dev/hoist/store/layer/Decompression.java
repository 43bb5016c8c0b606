package dev.hoist.store.layer;

import com.github.luben.zstd.ZstdInputStream;
import dev.hoist.image.Compression;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Recognises gzip, zstd or a plain tar by the first bytes of a stream; decompression is held to a
 * {@link DecompressionLimit}.
 */
final class Decompression {
  private static final int BUFFER = 128 * 1024;

  private Decompression() {}

  record Opened(Compression compression, InputStream stream) {}

  /** Opens {@code raw} with the process's limits; a stream read in tests. */
  static Opened open(InputStream raw) throws IOException {
    return open(raw, DecompressionLimit.fromEnvironment(), "stream");
  }

  /**
   * Opens {@code raw}, decompressing it when its magic bytes say so, refused past {@code limit}
   * with a message naming {@code label}.
   */
  static Opened open(InputStream raw, DecompressionLimit limit, String label) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      InputStream gzip = limit.decompress(in, c -> new GZIPInputStream(c, BUFFER), label);
      return new Opened(Compression.GZIP, new BufferedInputStream(gzip, BUFFER));
    }
    if (magic.length == 4
        && (magic[0] & 0xff) == 0x28
        && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      InputStream zstd = limit.decompress(in, ZstdInputStream::new, label);
      return new Opened(Compression.ZSTD, new BufferedInputStream(zstd, BUFFER));
    }
    return new Opened(Compression.NONE, in);
  }
}
