package dev.hoist.store.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Digest;
import dev.hoist.image.DigestMismatchException;
import dev.hoist.store.posix.Posix;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LayerApplierTest {
  private static final Digest LAYER =
      Digest.parse("sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4");
  private static final String LABEL = "layer " + LAYER;

  @TempDir Path tmp;
  private Path root;
  private Path sentinel;
  private Map<String, String> sentinelBefore;

  @BeforeEach
  void layout() throws IOException {
    root = Files.createDirectory(tmp.resolve("root"));
    sentinel = Files.createDirectory(tmp.resolve("sentinel"));
    Files.writeString(sentinel.resolve("secret"), "do not touch");
    sentinelBefore = TreeDescription.of(sentinel);
  }

  interface Archive {
    byte[] build(Path sentinel) throws IOException;
  }

  static Stream<Arguments> hostileArchives() {
    return Stream.of(
        Arguments.of(
            "dot-dot",
            (Archive) s -> new HostileTar().file("../x", "pwned").bytes(),
            LABEL + ": entry \"../x\" escapes the root; refusing"),
        Arguments.of(
            "dot-dot inside",
            (Archive) s -> new HostileTar().dir("a/").file("a/../../x", "pwned").bytes(),
            LABEL + ": entry \"a/../../x\" escapes the root; refusing"),
        Arguments.of(
            "absolute path",
            (Archive) s -> new HostileTar().file(s.resolve("x").toString(), "pwned").bytes(),
            "escapes the root; refusing"),
        Arguments.of(
            "symlink then write through it",
            (Archive)
                s -> new HostileTar().symlink("evil", "../sentinel").file("evil/x", "p").bytes(),
            LABEL + ": entry \"evil/x\" leads outside the root through a symlink; refusing"),
        Arguments.of(
            "symlink deep then write through it",
            (Archive)
                s ->
                    new HostileTar()
                        .dir("a/")
                        .dir("a/b/")
                        .symlink("a/b/up", "../../../sentinel")
                        .file("a/b/up/x", "p")
                        .bytes(),
            "leads outside the root through a symlink; refusing"),
        Arguments.of(
            "hardlink to outside",
            (Archive) s -> new HostileTar().hardlink("h", "../sentinel/secret").bytes(),
            LABEL + ": entry \"../sentinel/secret\" escapes the root; refusing"),
        Arguments.of(
            "hardlink to an absolute path",
            (Archive) s -> new HostileTar().hardlink("h", s.resolve("secret").toString()).bytes(),
            "escapes the root; refusing"),
        Arguments.of(
            "hardlink through a symlink to outside",
            (Archive)
                s -> new HostileTar().symlink("s", "../sentinel").hardlink("h", "s/secret").bytes(),
            "leads outside the root through a symlink; refusing"),
        Arguments.of(
            "symlink loop",
            (Archive)
                s -> new HostileTar().symlink("a", "b").symlink("b", "a").file("a/x", "p").bytes(),
            LABEL + ": entry \"a/x\" passes through too many symlinks (a loop?); refusing"),
        Arguments.of(
            "directory replaced by a symlink",
            (Archive)
                s ->
                    new HostileTar()
                        .dir("d/")
                        .file("d/ok", "fine")
                        .symlink("d", "../sentinel")
                        .file("d/x", "p")
                        .bytes(),
            LABEL + ": entry \"d/x\" leads outside the root through a symlink; refusing"),
        Arguments.of(
            "whiteout of the parent",
            (Archive) s -> new HostileTar().file(".wh..", "").bytes(),
            LABEL + ": entry \".wh..\" escapes the root; refusing"),
        Arguments.of(
            "whiteout through a symlink",
            (Archive) s -> new HostileTar().symlink("up", "..").file("up/.wh.sentinel", "").bytes(),
            "leads outside the root through a symlink; refusing"),
        Arguments.of(
            "opaque marker through a symlink",
            (Archive)
                s ->
                    new HostileTar().symlink("s", "../sentinel").file("s/.wh..wh..opq", "").bytes(),
            "leads outside the root through a symlink; refusing"),
        Arguments.of(
            "huge pax header",
            (Archive)
                s -> new HostileTar().withPaxHeader("f", "comment", "x".repeat(2 << 20)).bytes(),
            "over the limit of 1048576; refusing"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileArchives")
  void apply_refusesHostileArchivesAndWritesNothingOutside(
      String what, Archive archive, String message) throws Exception {
    byte[] tar = archive.build(sentinel);
    IOException e =
        assertThrows(IOException.class, () -> apply(tar, ApplyOptions.Target.TREE), what);
    assertTrue(e.getMessage().endsWith(message), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertNothingOutside();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileArchives")
  void apply_refusesHostileArchivesAlsoIntoASnapshot(String what, Archive archive, String message)
      throws Exception {
    byte[] tar = archive.build(sentinel);
    assertThrows(IOException.class, () -> apply(tar, ApplyOptions.Target.OVERLAY_LOWER), what);
    assertNothingOutside();
  }

  @Test
  void apply_resolvesAbsoluteSymlinksInsideTheRoot() throws Exception {
    byte[] tar =
        new HostileTar().symlink("abs", sentinel.toString()).file("abs/x", "inside").bytes();
    apply(tar, ApplyOptions.Target.TREE);
    Path landed = root.resolve(sentinel.toString().substring(1)).resolve("x");
    assertEquals("inside", Files.readString(landed));
    assertNothingOutside();
  }

  @Test
  void apply_replacesAnExistingSymlinkInsteadOfWritingThroughIt() throws Exception {
    Files.createSymbolicLink(root.resolve("f"), sentinel.resolve("secret"));
    apply(new HostileTar().file("f", "new").bytes(), ApplyOptions.Target.TREE);
    assertFalse(Files.isSymbolicLink(root.resolve("f")));
    assertEquals("new", Files.readString(root.resolve("f")));
    assertNothingOutside();
  }

  @Test
  void apply_followsSymlinksThatStayInside() throws Exception {
    byte[] tar =
        new HostileTar()
            .dir("usr/")
            .dir("usr/lib/")
            .symlink("lib", "usr/lib")
            .file("lib/libc.so", "c")
            .bytes();
    apply(tar, ApplyOptions.Target.TREE);
    assertEquals("c", Files.readString(root.resolve("usr/lib/libc.so")));
  }

  @Test
  void apply_handlesVeryLongNames() throws Exception {
    String component = "n".repeat(200);
    String name = String.join("/", java.util.Collections.nCopies(15, component)) + "/file";
    apply(new HostileTar().file(name, "deep").bytes(), ApplyOptions.Target.TREE);
    assertEquals("deep", Files.readString(root.resolve(name)));
  }

  @Test
  void apply_whiteoutDeletesFilesAndDirectories() throws Exception {
    Files.createDirectories(root.resolve("etc/old.d/sub"));
    Files.writeString(root.resolve("etc/old.d/sub/f"), "x");
    Files.writeString(root.resolve("etc/gone"), "x");
    Files.writeString(root.resolve("etc/kept"), "x");
    apply(
        new HostileTar().dir("etc/").file("etc/.wh.gone", "").file("etc/.wh.old.d", "").bytes(),
        ApplyOptions.Target.TREE);
    assertEquals(List.of("kept"), list(root.resolve("etc")));
  }

  @Test
  void apply_opaqueMarkerClearsLowerContentButKeepsThisLayers() throws Exception {
    Files.createDirectories(root.resolve("d/lower-dir"));
    Files.writeString(root.resolve("d/lower-file"), "x");
    Files.writeString(root.resolve("d/replaced"), "lower");
    byte[] tar =
        new HostileTar()
            .dir("d/")
            .file("d/new", "n")
            .file("d/replaced", "upper")
            .file("d/.wh..wh..opq", "") // after the new entries, as some writers order it
            .bytes();
    apply(tar, ApplyOptions.Target.TREE);
    assertEquals(List.of("new", "replaced"), list(root.resolve("d")));
    assertEquals("upper", Files.readString(root.resolve("d/replaced")));
  }

  @Test
  void apply_intoSnapshotTurnsWhiteoutsIntoOverlayMarkers() throws Exception {
    byte[] tar =
        new HostileTar().dir("d/").file("d/.wh..wh..opq", "").file("d/.wh.gone", "").bytes();
    apply(tar, ApplyOptions.Target.OVERLAY_LOWER);
    var gone = Posix.lstat(root.resolve("d/gone"));
    assertTrue(gone.isCharDevice());
    assertEquals(0, gone.rdev());
    assertEquals(
        "y",
        new String(Posix.lgetxattr(root.resolve("d"), "trusted.overlay.opaque").orElseThrow()));
    assertEquals(List.of("gone"), list(root.resolve("d")));
  }

  @Test
  void apply_ignoresOverlayXattrsForgedInTheLayer() throws Exception {
    byte[] tar =
        new HostileTar()
            .withPaxHeader("f", "SCHILY.xattr.trusted.overlay.redirect", "/etc")
            .bytes();
    apply(tar, ApplyOptions.Target.OVERLAY_LOWER);
    assertEquals(List.of(), Posix.llistxattr(root.resolve("f")));
  }

  @Test
  void apply_linksHardlinksToTheSameInode() throws Exception {
    apply(new HostileTar().file("a", "data").hardlink("b", "a").bytes(), ApplyOptions.Target.TREE);
    assertEquals(Posix.lstat(root.resolve("a")).ino(), Posix.lstat(root.resolve("b")).ino());
  }

  @Test
  void apply_refusesAHardlinkToAMissingFile() throws Exception {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                apply(new HostileTar().hardlink("b", "nowhere").bytes(), ApplyOptions.Target.TREE));
    assertEquals(
        LABEL + ": hardlink \"b\" points at \"nowhere\", which is not in the tree; refusing",
        e.getMessage());
  }

  @Test
  void apply_namesTheLayerAndEntryWhenTheFilesystemRefuses() throws Exception {
    String tooLong = "n".repeat(300); // NAME_MAX is 255
    IOException e =
        assertThrows(
            IOException.class, () -> applyBytes(new HostileTar().file(tooLong, "x").bytes()));
    assertTrue(
        e.getMessage().startsWith(LABEL + ": cannot apply entry \"" + tooLong + "\": "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("File name too long"), e.getMessage());
  }

  @Test
  void apply_checksTheDiffId() throws Exception {
    byte[] tar = new HostileTar().file("a", "data").bytes();
    Digest wrong = Digest.sha256(new byte[] {1});
    DigestMismatchException e =
        assertThrows(
            DigestMismatchException.class,
            () ->
                new LayerApplier(ApplyOptions.tree(LAYER).withExpectedDiffId(wrong))
                    .apply(new ByteArrayInputStream(tar), root));
    assertEquals(Digest.sha256(tar), e.actual());
    AppliedLayer ok =
        new LayerApplier(ApplyOptions.tree(LAYER).withExpectedDiffId(Digest.sha256(tar)))
            .apply(new ByteArrayInputStream(tar), Files.createDirectory(tmp.resolve("again")));
    assertEquals(tar.length, ok.uncompressedSize());
  }

  @Test
  void apply_reportsATruncatedStream() throws Exception {
    byte[] tar = new HostileTar().file("a", "x".repeat(5000)).bytes();
    byte[] cut = Arrays.copyOf(tar, 2048);
    IOException e = assertThrows(IOException.class, () -> applyBytes(cut));
    assertTrue(
        e.getMessage().startsWith(LABEL + ": tar stream ends early at byte"), e.getMessage());
  }

  @Test
  void apply_reportsACorruptHeader() throws Exception {
    byte[] tar = new HostileTar().file("a", "x").bytes();
    tar[0] = 'b';
    IOException e = assertThrows(IOException.class, () -> applyBytes(tar));
    assertEquals(
        LABEL + ": corrupt tar header at byte 0: header checksum mismatch", e.getMessage());
  }

  private void applyBytes(byte[] tar) throws IOException {
    apply(tar, ApplyOptions.Target.TREE);
  }

  private void apply(byte[] tar, ApplyOptions.Target target) throws IOException {
    ApplyOptions options =
        target == ApplyOptions.Target.TREE
            ? ApplyOptions.tree(LAYER)
            : ApplyOptions.overlayLower(LAYER);
    new LayerApplier(options).apply(new ByteArrayInputStream(tar), root);
  }

  private void assertNothingOutside() throws IOException {
    assertEquals(List.of("root", "sentinel"), list(tmp));
    assertEquals(sentinelBefore, TreeDescription.of(sentinel));
  }

  private static List<String> list(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
