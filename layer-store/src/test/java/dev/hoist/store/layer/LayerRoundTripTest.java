package dev.hoist.store.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Compression;
import dev.hoist.image.Digest;
import dev.hoist.store.posix.Posix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LayerRoundTripTest {
  private static final Digest LAYER = Digest.sha256(new byte[0]);

  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(Compression.class)
  void roundTrip_keepsEveryFileKind(Compression compression) throws Exception {
    Path source = Files.createDirectory(tmp.resolve("source"));
    Fixtures.everyKind(source);
    LayerFile layer =
        new LayerWriter(LayerOptions.defaults().withCompression(compression))
            .write(LayerSource.directory(source), tmp.resolve("layer"));

    Path target = Files.createDirectory(tmp.resolve("target"));
    AppliedLayer applied;
    try (InputStream in = Files.newInputStream(layer.path())) {
      applied = new LayerApplier(ApplyOptions.tree(LAYER)).apply(in, target);
    }

    assertEquals(TreeDescription.of(source), TreeDescription.of(target));
    assertEquals(layer.layer().diffId(), applied.diffId());
    assertEquals(layer.layer().uncompressedSize(), applied.uncompressedSize());
    assertEquals(compression, applied.compression());
    assertEquals(compression, layer.layer().compression());
  }

  @Test
  void write_reportsTheDigestsAndSizesOfItsBytes() throws Exception {
    Path source = Files.createDirectory(tmp.resolve("source"));
    Fixtures.everyKind(source);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WrittenLayer layer =
        new LayerWriter(LayerOptions.defaults()).write(LayerSource.directory(source), out);

    byte[] blob = out.toByteArray();
    byte[] tar = new GZIPInputStream(new ByteArrayInputStream(blob)).readAllBytes();
    assertEquals(Digest.sha256(blob), layer.digest());
    assertEquals(blob.length, layer.size());
    assertEquals(Digest.sha256(tar), layer.diffId());
    assertEquals(tar.length, layer.uncompressedSize());
    assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", layer.mediaType());
    assertEquals(
        "application/vnd.docker.image.rootfs.diff.tar.gzip", layer.descriptor(true).mediaType());
  }

  @Test
  void write_givesTheSameDigestForTheSameTreeBuiltDifferently() throws Exception {
    Path a = Files.createDirectory(tmp.resolve("a"));
    Path b = Files.createDirectories(tmp.resolve("elsewhere/b"));
    Fixtures.everyKind(a);
    // Same content, created in the opposite order (different inode numbers and listing order),
    // with other atimes.
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      names.add("f" + i);
    }
    for (String n : names) {
      Files.writeString(a.resolve("usr/" + n), n);
    }
    Fixtures.everyKind(b);
    for (int i = names.size() - 1; i >= 0; i--) {
      Files.writeString(b.resolve("usr/" + names.get(i)), names.get(i));
    }
    Fixtures.setAllTimes(a, Fixtures.T1);
    Fixtures.setAllTimes(b, Fixtures.T1);
    Posix.lutimes(b.resolve("hard-a"), Instant.parse("2030-01-01T00:00:00Z"), Fixtures.T1);

    for (Compression c : Compression.values()) {
      LayerWriter writer = new LayerWriter(LayerOptions.defaults().withCompression(c));
      WrittenLayer la = writer.write(LayerSource.directory(a), new ByteArrayOutputStream());
      WrittenLayer lb = writer.write(LayerSource.directory(b), new ByteArrayOutputStream());
      assertEquals(la, lb, c.name());
    }
  }

  @Test
  void write_changesTheDigestWhenOnlyAnMtimeChanges() throws Exception {
    Path a = Files.createDirectory(tmp.resolve("a"));
    Fixtures.file(a.resolve("f"), "x", 0644, 0, 0);
    Posix.lutimes(a.resolve("f"), Fixtures.T1, Fixtures.T1);
    LayerWriter writer = new LayerWriter(LayerOptions.defaults());
    WrittenLayer before = writer.write(LayerSource.directory(a), new ByteArrayOutputStream());
    Posix.lutimes(a.resolve("f"), Fixtures.T2, Fixtures.T2);
    WrittenLayer after = writer.write(LayerSource.directory(a), new ByteArrayOutputStream());
    assertNotEquals(before.diffId(), after.diffId());
  }

  @Test
  void write_clampsMtimesToSourceDateEpoch() throws Exception {
    Path a = Files.createDirectory(tmp.resolve("a"));
    Instant epoch = Instant.parse("2022-01-01T00:00:00Z");
    Fixtures.file(a.resolve("new"), "n", 0644, 0, 0);
    Fixtures.file(a.resolve("old"), "o", 0644, 0, 0);
    Files.createSymbolicLink(a.resolve("link"), Path.of("new"));
    Posix.lutimes(a.resolve("new"), Fixtures.T2, Fixtures.T2);
    Posix.lutimes(a.resolve("link"), Fixtures.T2, Fixtures.T2);
    Posix.lutimes(a.resolve("old"), Fixtures.T1, Fixtures.T1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new LayerWriter(LayerOptions.defaults().withSourceDateEpoch(Optional.of(epoch)))
        .write(LayerSource.directory(a), out);

    Map<String, Instant> times = new java.util.TreeMap<>();
    for (TarArchiveEntry e : readWithCommonsCompress(out.toByteArray())) {
      times.put(e.getName(), e.getLastModifiedTime().toInstant());
    }
    assertEquals(Map.of("link", epoch, "new", epoch, "old", Fixtures.T1), times);
  }

  @Test
  void write_keepsNanosecondsOnlyWhenAskedTo() throws Exception {
    Path a = Files.createDirectory(tmp.resolve("a"));
    Fixtures.file(a.resolve("f"), "x", 0644, 0, 0);
    Instant t = Instant.parse("2021-03-04T05:06:07.123456789Z");
    Posix.lutimes(a.resolve("f"), t, t);
    for (boolean keep : new boolean[] {false, true}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new LayerWriter(LayerOptions.defaults().withSubsecondTimes(keep))
          .write(LayerSource.directory(a), out);
      Path target = Files.createDirectory(tmp.resolve("t" + keep));
      new LayerApplier(ApplyOptions.tree(LAYER))
          .apply(new ByteArrayInputStream(out.toByteArray()), target);
      assertEquals(
          keep ? t : Instant.parse("2021-03-04T05:06:07Z"),
          Posix.lstat(target.resolve("f")).mtime());
    }
  }

  @Test
  void write_producesATarThatCommonsCompressReadsWithNumericOwnersOnly() throws Exception {
    Path source = Files.createDirectory(tmp.resolve("source"));
    Fixtures.everyKind(source);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new LayerWriter(LayerOptions.defaults()).write(LayerSource.directory(source), out);
    List<String> names = new ArrayList<>();
    for (TarArchiveEntry e : readWithCommonsCompress(out.toByteArray())) {
      names.add(e.getName());
      assertEquals("", e.getUserName(), e.getName());
      assertEquals("", e.getGroupName(), e.getName());
    }
    assertTrue(names.contains("héllo wörld ☃.txt"));
    assertEquals(names.stream().distinct().count(), names.size());
    List<String> expectedOrder =
        List.of("usr/", "usr/bin/", "usr/bin/group-tool", "usr/bin/sh", "usr/bin/tool", "var/");
    List<String> actualOrder = new ArrayList<>(names);
    actualOrder.retainAll(expectedOrder);
    assertEquals(expectedOrder, actualOrder);
  }

  @Test
  void write_producesATarThatGnuTarExtractsToTheSameTree() throws Exception {
    Path source = Files.createDirectory(tmp.resolve("source"));
    Fixtures.everyKind(source);
    Files.delete(
        source.resolve("big-ids")); // GNU tar caps ids at 2^21 without --numeric-owner tricks
    Fixtures.setAllTimes(source, Fixtures.T1);
    LayerFile layer =
        new LayerWriter(LayerOptions.defaults())
            .write(LayerSource.directory(source), tmp.resolve("l.tgz"));
    Path target = Files.createDirectory(tmp.resolve("target"));
    Process tar =
        new ProcessBuilder(
                "tar",
                "-xzf",
                layer.path().toString(),
                "-C",
                target.toString(),
                "--xattrs",
                "--xattrs-include=*",
                "--same-owner",
                "--numeric-owner",
                "-p")
            .redirectErrorStream(true)
            .start();
    String output = new String(tar.getInputStream().readAllBytes());
    assertEquals(0, tar.waitFor(), output);
    assertEquals(TreeDescription.of(source), TreeDescription.of(target));
  }

  private static List<TarArchiveEntry> readWithCommonsCompress(byte[] gzip) throws IOException {
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (TarArchiveInputStream in =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(gzip)))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.add(e);
      }
    }
    return entries;
  }
}
