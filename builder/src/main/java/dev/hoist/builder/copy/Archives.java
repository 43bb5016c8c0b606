package dev.hoist.builder.copy;

import dev.hoist.store.layer.DecompressionLimit;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Which local files ADD extracts: a tar archive, plain or compressed with gzip, bzip2, xz or zstd,
 * recognised (as Docker does) by the magic bytes of the compression and then by a valid tar header
 * in the decompressed bytes, never by the file name. Anything else is copied as it is.
 */
final class Archives {
  private static final int BLOCK = 512;
  private static final int BUFFER = 128 * 1024;

  private Archives() {}

  enum Compression {
    NONE,
    GZIP,
    BZIP2,
    XZ,
    ZSTD
  }

  static Compression detect(byte[] magic, int n) {
    if (n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return Compression.GZIP;
    }
    if (n >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') {
      return Compression.BZIP2;
    }
    if (n >= 6
        && (magic[0] & 0xff) == 0xfd
        && magic[1] == '7'
        && magic[2] == 'z'
        && magic[3] == 'X'
        && magic[4] == 'Z'
        && magic[5] == 0) {
      return Compression.XZ;
    }
    if (n >= 4
        && (magic[0] & 0xff) == 0x28
        && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      return Compression.ZSTD;
    }
    return Compression.NONE;
  }

  /**
   * The file's bytes, decompressed when its magic bytes name a compression, refused past the
   * process's {@link DecompressionLimit} (an ADD source can be a decompression bomb).
   */
  static InputStream openDecompressed(Path file) throws IOException {
    DecompressionLimit limit = DecompressionLimit.fromEnvironment();
    String label = "archive " + file.getFileName();
    BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
    try {
      in.mark(8);
      byte[] magic = new byte[8];
      int n = in.readNBytes(magic, 0, magic.length);
      in.reset();
      return switch (detect(magic, n)) {
        case NONE -> in;
        case GZIP -> buffered(limit.decompress(in, c -> new GZIPInputStream(c, BUFFER), label));
        case BZIP2 ->
            buffered(limit.decompress(in, c -> new BZip2CompressorInputStream(c, true), label));
        case XZ -> buffered(limit.decompress(in, c -> new XZCompressorInputStream(c, true), label));
        case ZSTD -> buffered(limit.decompress(in, ZstdCompressorInputStream::new, label));
      };
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static InputStream buffered(InputStream in) {
    return new BufferedInputStream(in, BUFFER);
  }

  /**
   * Whether {@code file} is a tar archive (maybe compressed): its first decompressed block is a tar
   * header whose checksum is right. A corrupt compressed stream is "not an archive".
   */
  static boolean isArchive(Path file) throws IOException {
    try (InputStream in = openDecompressed(file)) {
      byte[] header = in.readNBytes(BLOCK);
      return header.length == BLOCK && validHeader(header);
    } catch (IOException e) {
      if (!Files.isReadable(file)) {
        throw e;
      }
      return false; // e.g. "foo.gz" whose body is not gzip after all: copied as it is
    }
  }

  /** The tar header checksum: the sum of the block's bytes with the checksum field as spaces. */
  static boolean validHeader(byte[] h) {
    if (h[0] == 0) {
      return false; // an end-of-archive block first: Go's tar reader reports no entries either
    }
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : h[i];
      unsigned += b & 0xff;
      signed += b;
    }
    String field = new String(h, 148, 8, java.nio.charset.StandardCharsets.US_ASCII);
    field = field.replace('\0', ' ').strip();
    if (field.isEmpty() || !field.chars().allMatch(c -> c >= '0' && c <= '7')) {
      return false;
    }
    long stored = Long.parseLong(field, 8);
    return stored == unsigned || stored == signed;
  }
}
