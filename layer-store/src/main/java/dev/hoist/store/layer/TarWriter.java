package dev.hoist.store.layer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a POSIX (pax) tar byte for byte deterministically: a ustar header per entry, preceded by a
 * pax extended header only when a field does not fit ustar (long or non-ASCII names, large ids or
 * sizes, sub-second times, xattrs). No user or group names, no atime or ctime.
 *
 * <p>Written by hand instead of commons-compress because pax values must be raw bytes (binary
 * {@code SCHILY.xattr.security.capability}) and the bytes must not change with a library version.
 */
final class TarWriter {
  static final int BLOCK = 512;
  private static final long MAX_OCTAL_7 = 07777777L;
  private static final long MAX_OCTAL_11 = 077777777777L;

  private static final byte[] ZEROS = new byte[2 * BLOCK];

  private final OutputStream out;
  private final byte[] header = new byte[BLOCK];
  private long remaining;
  private long entrySize;
  private String entryName = "";

  TarWriter(OutputStream out) {
    this.out = out;
  }

  /** Writes the header of {@code e}; for a regular file follow with exactly {@code size} bytes. */
  void putEntry(TarEntry e) throws IOException {
    if (remaining != 0) {
      throw new IllegalStateException("previous entry " + entryName + " is missing content");
    }
    Map<String, byte[]> pax = new LinkedHashMap<>();
    byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
    byte[] link = e.linkName().getBytes(StandardCharsets.UTF_8);
    if (name.length > 100 || !isAscii(name)) {
      pax.put("path", name);
    }
    if (link.length > 100 || !isAscii(link)) {
      pax.put("linkpath", link);
    }
    long size = e.hasContent() ? e.size() : 0;
    numberForPax(pax, "uid", e.uid(), MAX_OCTAL_7);
    numberForPax(pax, "gid", e.gid(), MAX_OCTAL_7);
    numberForPax(pax, "size", size, MAX_OCTAL_11);
    Instant mtime = e.mtime();
    if (mtime.getNano() != 0
        || mtime.getEpochSecond() < 0
        || mtime.getEpochSecond() > MAX_OCTAL_11) {
      pax.put("mtime", paxTime(mtime).getBytes(StandardCharsets.US_ASCII));
    }
    if (e.devMajor() < 0
        || e.devMajor() > MAX_OCTAL_7
        || e.devMinor() < 0
        || e.devMinor() > MAX_OCTAL_7) {
      throw new IOException("device numbers of " + e.name() + " do not fit a tar header");
    }
    for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
      pax.put("SCHILY.xattr." + x.getKey(), x.getValue());
    }
    if (!pax.isEmpty()) {
      writePax(e.name(), pax);
    }
    fillHeader(
        truncate(name, 100),
        e.type(),
        e.mode() & 07777,
        fits(e.uid(), MAX_OCTAL_7),
        fits(e.gid(), MAX_OCTAL_7),
        fits(size, MAX_OCTAL_11),
        fits(mtime.getEpochSecond(), MAX_OCTAL_11),
        truncate(link, 100),
        e.devMajor(),
        e.devMinor());
    out.write(header);
    begin(e.name(), size);
  }

  /** Content of the current regular file. */
  void write(byte[] b, int off, int len) throws IOException {
    if (len > remaining) {
      throw new IOException(entryName + " grew while it was written into the layer; retry");
    }
    out.write(b, off, len);
    remaining -= len;
  }

  /** Pads the current entry to a block boundary; its content must be complete. */
  void closeEntry() throws IOException {
    if (remaining != 0) {
      throw new IOException(entryName + " shrank while it was written into the layer; retry");
    }
    int pad = (int) ((BLOCK - entrySize % BLOCK) % BLOCK);
    out.write(ZEROS, 0, pad);
    entrySize = 0;
  }

  /** Writes the two zero blocks that end an archive. Does not close the stream. */
  void finish() throws IOException {
    out.write(ZEROS, 0, 2 * BLOCK);
    out.flush();
  }

  private void begin(String name, long size) {
    this.entryName = name;
    this.entrySize = size;
    this.remaining = size;
  }

  private void writePax(String name, Map<String, byte[]> records) throws IOException {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> r : records.entrySet()) {
      byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
      int base = 1 + key.length + 1 + r.getValue().length + 1; // " key=value\n"
      int len = base;
      while (base + Integer.toString(len).length() != len) { // the length counts its own digits
        len = base + Integer.toString(len).length();
      }
      body.write(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
      body.write(' ');
      body.write(key);
      body.write('=');
      body.write(r.getValue());
      body.write('\n');
    }
    byte[] bytes = body.toByteArray();
    // Go's convention: DIR/PaxHeaders.0/BASE, so that a non-pax reader extracts something harmless.
    String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    int slash = trimmed.lastIndexOf('/');
    String paxName =
        (slash < 0 ? "" : trimmed.substring(0, slash + 1))
            + "PaxHeaders.0/"
            + trimmed.substring(slash + 1);
    fillHeader(
        truncate(asciiOnly(paxName), 100), 'x', 0644, 0, 0, bytes.length, 0, new byte[0], 0, 0);
    out.write(header);
    out.write(bytes);
    out.write(ZEROS, 0, (BLOCK - bytes.length % BLOCK) % BLOCK);
  }

  private void fillHeader(
      byte[] name,
      char type,
      int mode,
      long uid,
      long gid,
      long size,
      long mtime,
      byte[] link,
      int major,
      int minor) {
    Arrays.fill(header, (byte) 0);
    System.arraycopy(name, 0, header, 0, name.length);
    octal(mode, 100, 8);
    octal(uid, 108, 8);
    octal(gid, 116, 8);
    octal(size, 124, 12);
    octal(mtime, 136, 12);
    header[156] = (byte) type;
    System.arraycopy(link, 0, header, 157, link.length);
    System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 6);
    header[263] = '0';
    header[264] = '0';
    octal(major, 329, 8);
    octal(minor, 337, 8);
    Arrays.fill(header, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    octal(sum, 148, 7); // six digits and a NUL, then the space already there
  }

  /** Zero-padded octal in {@code width - 1} digits and a NUL. */
  private void octal(long value, int offset, int width) {
    int pos = offset + width - 1;
    header[pos] = 0;
    long v = value;
    for (int i = pos - 1; i >= offset; i--) {
      header[i] = (byte) ('0' + (v & 7));
      v >>>= 3;
    }
  }

  private static void numberForPax(Map<String, byte[]> pax, String key, long value, long max) {
    if (value < 0 || value > max) {
      pax.put(key, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static long fits(long value, long max) {
    return value < 0 || value > max ? 0 : value;
  }

  static String paxTime(Instant t) {
    long sec = t.getEpochSecond();
    int nano = t.getNano();
    if (nano == 0) {
      return Long.toString(sec);
    }
    if (sec < 0) { // -1.5 s is epochSecond -2 + 0.5 s
      long whole = sec + 1;
      int frac = 1_000_000_000 - nano;
      return (whole == 0 ? "-0" : Long.toString(whole)) + "." + fraction(frac);
    }
    return sec + "." + fraction(nano);
  }

  private static String fraction(int nano) {
    String s = String.format("%09d", nano);
    int end = s.length();
    while (end > 1 && s.charAt(end - 1) == '0') {
      end--;
    }
    return s.substring(0, end);
  }

  private static boolean isAscii(byte[] b) {
    for (byte x : b) {
      if (x < 0x20 || x > 0x7e) { // negative for every non-ASCII UTF-8 byte
        return false;
      }
    }
    return true;
  }

  private static byte[] asciiOnly(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      if (b[i] < 0x20 || b[i] > 0x7e) {
        b[i] = '_';
      }
    }
    return b;
  }

  private static byte[] truncate(byte[] b, int max) {
    return b.length <= max ? b : Arrays.copyOf(b, max);
  }
}
