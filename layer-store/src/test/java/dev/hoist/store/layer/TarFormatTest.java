package dev.hoist.store.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written tar reader and writer against each other and against commons-compress. */
class TarFormatTest {
  @ParameterizedTest
  @CsvSource({
    "0, 0, 0",
    "1, 500000000, 1.5",
    "1, 123456789, 1.123456789",
    "-1, 0, -1",
    "-2, 500000000, -1.5",
    "-1, 900000000, -0.1"
  })
  void paxTime_formatsSecondsAndFraction(long seconds, int nanos, String expected) {
    assertEquals(expected, TarWriter.paxTime(Instant.ofEpochSecond(seconds, nanos)));
  }

  /** Record lengths around 99/100/101 make the length field gain a digit. */
  @ParameterizedTest
  @ValueSource(ints = {86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 990, 991, 992, 993})
  void paxRecords_countTheirOwnLengthDigits(int nameLength) throws Exception {
    String name = "é" + "a".repeat(nameLength - 2); // non-ASCII, so the name goes into pax
    TarEntry entry = regular(name, 0, Instant.ofEpochSecond(1));
    assertEquals(List.of(entry), readOwn(writeOwn(List.of(entry))));
    assertEquals(name, readWithCommonsCompress(writeOwn(List.of(entry))).get(0).getName());
  }

  @Test
  void roundTrip_keepsFieldsBeyondUstar() throws Exception {
    List<TarEntry> entries =
        List.of(
            regular("x".repeat(300), 0, Instant.ofEpochSecond(1)),
            new TarEntry(
                "big-ids",
                TarEntry.TYPE_REGULAR,
                04755,
                3_000_000_000L,
                2_500_000L,
                0,
                Instant.ofEpochSecond(-100, 250_000_000),
                "",
                0,
                0,
                Map.of("security.capability", new byte[] {0, (byte) 0xff, '\n', '='})),
            new TarEntry(
                "link",
                TarEntry.TYPE_SYMLINK,
                0777,
                0,
                0,
                0,
                Instant.ofEpochSecond(99_999_999_999L),
                "t".repeat(200),
                0,
                0,
                Map.of()),
            new TarEntry(
                "dev",
                TarEntry.TYPE_BLOCK,
                0600,
                0,
                0,
                0,
                Instant.EPOCH,
                "",
                259,
                1_048_575,
                Map.of()));
    List<TarEntry> read = readOwn(writeOwn(entries));
    assertEquals(entries.size(), read.size());
    for (int i = 0; i < entries.size(); i++) {
      assertEquals(withoutXattrs(entries.get(i)), withoutXattrs(read.get(i)));
      assertEquals(entries.get(i).xattrs().keySet(), read.get(i).xattrs().keySet());
      for (var x : entries.get(i).xattrs().entrySet()) {
        assertArrayEquals(x.getValue(), read.get(i).xattrs().get(x.getKey()));
      }
    }
  }

  @Test
  void reader_readsGnuLongNamesAndBase256Numbers() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
      TarArchiveEntry e = new TarArchiveEntry("n".repeat(150));
      e.setUserId(5_000_000L);
      e.setGroupId(4_000_000L);
      e.setSize(3);
      tar.putArchiveEntry(e);
      tar.write(new byte[] {1, 2, 3});
      tar.closeArchiveEntry();
      TarArchiveEntry link = new TarArchiveEntry("l", TarConstants.LF_SYMLINK);
      link.setLinkName("m".repeat(150));
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    List<TarEntry> read = readOwn(bytes.toByteArray());
    assertEquals("n".repeat(150), read.get(0).name());
    assertEquals(5_000_000L, read.get(0).uid());
    assertEquals(4_000_000L, read.get(0).gid());
    assertEquals(3, read.get(0).size());
    assertEquals("m".repeat(150), read.get(1).linkName());
  }

  @Test
  void reader_refusesSparseFiles() throws Exception {
    byte[] tar = new HostileTar().withPaxHeader("sparse", "GNU.sparse.major", "1").bytes();
    IOException e = assertThrows(IOException.class, () -> readOwn(tar));
    assertEquals(
        "test: unsupported sparse file sparse at byte 1024; hoist cannot apply it", e.getMessage());
  }

  @Test
  void reader_refusesUnknownEntryTypes() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.putArchiveEntry(new TarArchiveEntry("socket-ish", (byte) 'Z'));
      tar.closeArchiveEntry();
    }
    IOException e = assertThrows(IOException.class, () -> readOwn(bytes.toByteArray()));
    assertTrue(
        e.getMessage().startsWith("test: unsupported entry type 'Z' of \"socket-ish\""),
        e.getMessage());
  }

  private static TarEntry regular(String name, long size, Instant mtime) {
    return new TarEntry(name, TarEntry.TYPE_REGULAR, 0644, 0, 0, size, mtime, "", 0, 0, Map.of());
  }

  private static TarEntry withoutXattrs(TarEntry e) {
    return new TarEntry(
        e.name(),
        e.type(),
        e.mode(),
        e.uid(),
        e.gid(),
        e.size(),
        e.mtime(),
        e.linkName(),
        e.devMajor(),
        e.devMinor(),
        Map.of());
  }

  private static byte[] writeOwn(List<TarEntry> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarWriter w = new TarWriter(out);
    for (TarEntry e : entries) {
      w.putEntry(e);
      w.write(new byte[(int) e.size()], 0, (int) e.size());
      w.closeEntry();
    }
    w.finish();
    return out.toByteArray();
  }

  private static List<TarEntry> readOwn(byte[] tar) throws IOException {
    List<TarEntry> out = new ArrayList<>();
    TarReader r = new TarReader(new ByteArrayInputStream(tar), "test");
    for (var e = r.next(); e.isPresent(); e = r.next()) {
      out.add(e.get());
    }
    return out;
  }

  private static List<TarArchiveEntry> readWithCommonsCompress(byte[] tar) throws IOException {
    List<TarArchiveEntry> out = new ArrayList<>();
    try (TarArchiveInputStream in =
        new TarArchiveInputStream(new ByteArrayInputStream(tar), StandardCharsets.UTF_8.name())) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.add(e);
      }
    }
    return out;
  }
}
