package dev.hoist.store.layer;

import com.github.luben.zstd.ZstdInputStream;
import dev.hoist.image.Compression;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Recognises gzip, zstd or a plain tar by the first bytes of a stream. */
final class Decompression {
  private static final int BUFFER = 128 * 1024;

  private Decompression() {}

  record Opened(Compression compression, InputStream stream) {}

  static Opened open(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new Opened(
          Compression.GZIP, new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER));
    }
    if (magic.length == 4
        && (magic[0] & 0xff) == 0x28
        && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      return new Opened(Compression.ZSTD, new BufferedInputStream(new ZstdInputStream(in), BUFFER));
    }
    return new Opened(Compression.NONE, in);
  }
}
