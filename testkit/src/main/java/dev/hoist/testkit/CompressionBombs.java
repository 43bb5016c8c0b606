package dev.hoist.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Decompression bombs for tests: a small valid tar followed by a long run of zero bytes, gzipped. A
 * tar reader stops at the end-of-archive blocks and the zeros after them cost no disk, yet a reader
 * that checks the whole stream's digest (as a layer's diff id needs) must inflate them all.
 *
 * <p>The zeros are written as concatenated gzip members (RFC 1952 allows several), one 64 MiB
 * member compressed once and repeated, so a 1 GiB bomb takes a fraction of a second to make.
 */
public final class CompressionBombs {
  private static final int CHUNK = 64 << 20;

  private CompressionBombs() {}

  /**
   * A bomb on disk.
   *
   * @param file the gzip file
   * @param compressedSize its size
   * @param uncompressedSize what it inflates to
   * @param diffId {@code sha256:<hex>} of the inflated bytes, as an image config lists it
   */
  public record Bomb(Path file, long compressedSize, long uncompressedSize, String diffId) {
    /** Inflated bytes per compressed byte. */
    public long ratio() {
      return uncompressedSize / compressedSize;
    }
  }

  /**
   * A tar holding one regular file {@code name} with {@code content}, then the two zero blocks that
   * end an archive.
   */
  public static byte[] tar(String name, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644\0");
    put(header, 108, "0000000\0");
    put(header, 116, "0000000\0");
    put(header, 124, String.format("%011o\0", content.length));
    put(header, 136, "00000000000\0");
    header[156] = '0';
    put(header, 257, "ustar\0");
    put(header, 263, "00");
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o\0 ", sum));
    out.writeBytes(header);
    out.writeBytes(content);
    out.writeBytes(new byte[(512 - content.length % 512) % 512 + 1024]);
    return out.toByteArray();
  }

  /**
   * Writes {@code prefix} followed by {@code zeros} zero bytes to {@code file}, gzipped at level 9
   * (about 1 000:1 on the zeros).
   */
  public static Bomb gzip(Path file, byte[] prefix, long zeros) throws IOException {
    MessageDigest sha = sha256();
    sha.update(prefix);
    byte[] chunk = new byte[CHUNK];
    byte[] fullMember = member(chunk, CHUNK);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(member(prefix, prefix.length));
      for (long left = zeros; left > 0; left -= CHUNK) {
        int n = (int) Math.min(left, CHUNK);
        out.write(n == CHUNK ? fullMember : member(chunk, n));
        sha.update(chunk, 0, n);
      }
    }
    return new Bomb(
        file,
        Files.size(file),
        prefix.length + zeros,
        "sha256:" + HexFormat.of().formatHex(sha.digest()));
  }

  /** A tar of {@code small.txt} followed by {@code zeros} zero bytes, gzipped: a layer bomb. */
  public static Bomb gzipLayer(Path file, long zeros) throws IOException {
    return gzip(file, tar("small.txt", "small\n".getBytes(StandardCharsets.UTF_8)), zeros);
  }

  private static byte[] member(byte[] bytes, int length) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (GZIPOutputStream gz =
        new GZIPOutputStream(buffer, 1 << 16) {
          {
            def.setLevel(Deflater.BEST_COMPRESSION);
          }
        }) {
      gz.write(bytes, 0, length);
    }
    return buffer.toByteArray();
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] b = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, offset, b.length);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
