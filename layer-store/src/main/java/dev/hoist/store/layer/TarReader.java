package dev.hoist.store.layer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads ustar, pax and GNU tar headers, keeping xattr values as raw bytes. Extended headers (pax
 * records, GNU long names) are bounded so that a hostile archive cannot make us allocate much.
 * Sparse files and the other rare GNU types are refused rather than misread.
 */
final class TarReader {
  /** Go's archive/tar uses the same bound for pax and GNU long-name blocks. */
  static final int MAX_EXTENDED_HEADER = 1 << 20;

  private final InputStream in;
  private final String label;
  private final byte[] block = new byte[TarWriter.BLOCK];
  private long offset;
  private long remaining;
  private long padding;
  private boolean ended;

  /**
   * @param label names the layer in error messages, e.g. {@code layer sha256:…}
   */
  TarReader(InputStream in, String label) {
    this.in = in;
    this.label = label;
  }

  /** The next entry, skipping what is left of the previous one; empty at the end. */
  Optional<TarEntry> next() throws IOException {
    if (ended) {
      return Optional.empty();
    }
    skipFully(remaining + padding);
    remaining = 0;
    padding = 0;
    Map<String, byte[]> pax = new HashMap<>();
    Optional<String> longName = Optional.empty();
    Optional<String> longLink = Optional.empty();
    while (true) {
      long headerOffset = offset;
      if (!readBlock()) {
        ended = true; // EOF on a block boundary: tolerated, as GNU tar and Go do
        return Optional.empty();
      }
      if (isZero(block)) {
        ended = true;
        return Optional.empty();
      }
      verifyChecksum(headerOffset);
      char type = (char) (block[156] & 0xff);
      long size = number(124, 12, headerOffset);
      switch (type) {
        case 'x', 'g' -> {
          byte[] body = extended(size, "pax header", headerOffset);
          if (type == 'x') { // global headers only carry comments in practice; ignore them
            parsePax(body, pax, headerOffset);
          }
          continue;
        }
        case 'L' -> {
          longName = Optional.of(cString(extended(size, "GNU long name", headerOffset)));
          continue;
        }
        case 'K' -> {
          longLink = Optional.of(cString(extended(size, "GNU long link", headerOffset)));
          continue;
        }
        default -> {}
      }
      return Optional.of(entry(type, size, pax, longName, longLink, headerOffset));
    }
  }

  /** The content of the current entry (regular files only; empty for the others). */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw truncated();
        }
        remaining -= n;
        offset += n;
        return n;
      }
    };
  }

  private TarEntry entry(
      char type,
      long size,
      Map<String, byte[]> pax,
      Optional<String> longName,
      Optional<String> longLink,
      long headerOffset)
      throws IOException {
    String magic = new String(block, 257, 6, StandardCharsets.ISO_8859_1);
    String name = string(0, 100);
    if (magic.equals("ustar\0") && block[345] != 0) {
      name = string(345, 155) + "/" + name;
    }
    name = longName.orElse(name);
    String link = longLink.orElse(string(157, 100));
    long uid = number(108, 8, headerOffset);
    long gid = number(116, 8, headerOffset);
    Instant mtime = Instant.ofEpochSecond(number(136, 12, headerOffset));
    Map<String, byte[]> xattrs = new TreeMap<>();
    for (Map.Entry<String, byte[]> r : pax.entrySet()) {
      String key = r.getKey();
      String value = new String(r.getValue(), StandardCharsets.UTF_8);
      switch (key) {
        case "path" -> name = value;
        case "linkpath" -> link = value;
        case "size" -> size = paxNumber(key, value, headerOffset);
        case "uid" -> uid = paxNumber(key, value, headerOffset);
        case "gid" -> gid = paxNumber(key, value, headerOffset);
        case "mtime" -> mtime = paxTime(value, headerOffset);
        default -> {
          if (key.startsWith("SCHILY.xattr.")) {
            xattrs.put(key.substring("SCHILY.xattr.".length()), r.getValue());
          } else if (key.startsWith("LIBARCHIVE.xattr.")) {
            String xname =
                URLDecoder.decode(
                    key.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8);
            xattrs.put(xname, Base64.getDecoder().decode(value.trim()));
          } else if (key.startsWith("GNU.sparse.")) {
            throw unsupported("sparse file " + name, headerOffset);
          }
        }
      }
    }
    char normalised = type;
    if (type == '\0' || type == '7') {
      normalised = name.endsWith("/") ? TarEntry.TYPE_DIRECTORY : TarEntry.TYPE_REGULAR;
    }
    if ("0123456".indexOf(normalised) < 0) {
      throw unsupported("entry type '" + printable(type) + "' of \"" + name + "\"", headerOffset);
    }
    if (size < 0) {
      throw corrupt("negative size", headerOffset);
    }
    int major = (int) number(329, 8, headerOffset);
    int minor = (int) number(337, 8, headerOffset);
    // Only regular files have content; Go ignores the size of header-only types the same way.
    remaining = normalised == TarEntry.TYPE_REGULAR ? size : 0;
    padding = (TarWriter.BLOCK - remaining % TarWriter.BLOCK) % TarWriter.BLOCK;
    int mode = (int) (number(100, 8, headerOffset) & 07777);
    return new TarEntry(
        name, normalised, mode, uid, gid, remaining, mtime, link, major, minor, xattrs);
  }

  private byte[] extended(long size, String what, long headerOffset) throws IOException {
    if (size > MAX_EXTENDED_HEADER) {
      throw new IOException(
          label
              + ": "
              + what
              + " at byte "
              + headerOffset
              + " is "
              + size
              + " bytes, over the limit of "
              + MAX_EXTENDED_HEADER
              + "; refusing");
    }
    byte[] body = in.readNBytes((int) size);
    if (body.length != size) {
      throw truncated();
    }
    offset += size;
    skipFully((TarWriter.BLOCK - size % TarWriter.BLOCK) % TarWriter.BLOCK);
    return body;
  }

  private void parsePax(byte[] body, Map<String, byte[]> out, long headerOffset)
      throws IOException {
    int pos = 0;
    while (pos < body.length) {
      if (body[pos] == 0) {
        break; // some writers pad the record block with NULs
      }
      int space = pos;
      while (space < body.length && body[space] != ' ') {
        space++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(body, pos, space - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw corrupt("bad pax record length", headerOffset);
      }
      int end = pos + len;
      if (len <= 0 || space >= end || end > body.length || body[end - 1] != '\n') {
        throw corrupt("bad pax record", headerOffset);
      }
      int eq = space + 1;
      while (eq < end && body[eq] != '=') {
        eq++;
      }
      if (eq >= end) {
        throw corrupt("pax record without '='", headerOffset);
      }
      String key = new String(body, space + 1, eq - space - 1, StandardCharsets.UTF_8);
      out.put(key, Arrays.copyOfRange(body, eq + 1, end - 1));
      pos = end;
    }
  }

  private long paxNumber(String key, String value, long headerOffset) throws IOException {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw corrupt("pax " + key + " \"" + value + "\" is not a number", headerOffset);
    }
  }

  private Instant paxTime(String value, long headerOffset) throws IOException {
    try {
      String v = value.trim();
      boolean negative = v.startsWith("-");
      int dot = v.indexOf('.');
      long sec = Long.parseLong(dot < 0 ? v : v.substring(0, dot));
      long nanos = 0;
      if (dot >= 0) {
        String frac = (v.substring(dot + 1) + "000000000").substring(0, 9);
        nanos = Long.parseLong(frac);
      }
      return negative ? Instant.ofEpochSecond(sec, -nanos) : Instant.ofEpochSecond(sec, nanos);
    } catch (NumberFormatException | java.time.DateTimeException e) {
      throw corrupt("pax mtime \"" + value + "\" is not a time", headerOffset);
    }
  }

  private long number(int off, int len, long headerOffset) throws IOException {
    if ((block[off] & 0x80) != 0) { // GNU base-256 for values that do not fit octal
      if ((block[off] & 0x40) != 0) {
        throw corrupt("negative base-256 number", headerOffset);
      }
      long v = block[off] & 0x3f;
      for (int i = off + 1; i < off + len; i++) {
        if ((v >>> 55) != 0) {
          throw corrupt("base-256 number too large", headerOffset);
        }
        v = (v << 8) | (block[i] & 0xff);
      }
      return v;
    }
    long v = 0;
    int i = off;
    int end = off + len;
    while (i < end && (block[i] == ' ' || block[i] == 0)) {
      i++;
    }
    for (; i < end && block[i] != 0 && block[i] != ' '; i++) {
      int d = block[i] - '0';
      if (d < 0 || d > 7) {
        throw corrupt("bad octal digit in header field at " + off, headerOffset);
      }
      v = (v << 3) | d;
    }
    return v;
  }

  private void verifyChecksum(long headerOffset) throws IOException {
    long expected = number(148, 8, headerOffset);
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < TarWriter.BLOCK; i++) {
      byte b = (i >= 148 && i < 156) ? (byte) ' ' : block[i];
      unsigned += b & 0xff;
      signed += b;
    }
    if (expected != unsigned && expected != signed) {
      throw corrupt("header checksum mismatch", headerOffset);
    }
  }

  private boolean readBlock() throws IOException {
    int n = in.readNBytes(block, 0, TarWriter.BLOCK);
    if (n == 0) {
      return false;
    }
    if (n != TarWriter.BLOCK) {
      throw truncated();
    }
    offset += n;
    return true;
  }

  private void skipFully(long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw truncated();
        }
        skipped = 1;
      }
      left -= skipped;
      offset += skipped;
    }
  }

  private String string(int off, int len) {
    int end = off;
    while (end < off + len && block[end] != 0) {
      end++;
    }
    return new String(block, off, end - off, StandardCharsets.UTF_8);
  }

  private static String cString(byte[] b) {
    int end = 0;
    while (end < b.length && b[end] != 0) {
      end++;
    }
    return new String(b, 0, end, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c);
  }

  private IOException truncated() {
    return new IOException(
        label
            + ": tar stream ends early at byte "
            + offset
            + "; the blob is truncated, pull it again");
  }

  private IOException corrupt(String what, long headerOffset) {
    return new IOException(label + ": corrupt tar header at byte " + headerOffset + ": " + what);
  }

  private IOException unsupported(String what, long headerOffset) {
    return new IOException(
        label + ": unsupported " + what + " at byte " + headerOffset + "; hoist cannot apply it");
  }
}
