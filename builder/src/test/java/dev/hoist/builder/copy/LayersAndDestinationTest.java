package dev.hoist.builder.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * COPY --from a stage given as overlay layer dirs (whiteouts, opaque dirs, symlinks inside the
 * rootfs), and what the destination image decides: existing parents, symlinked paths, users.
 */
class LayersAndDestinationTest {
  @TempDir Path tmp;
  Path lower;
  Path upper;
  Path ctx;

  @BeforeEach
  void layers() throws IOException {
    lower =
        Trees.write(
            tmp.resolve("lower"),
            "app/a=lowA",
            "app/b=lowB",
            "app/old/x=X",
            "data/keep=K",
            "owned=O");
    Posix.lchown(lower.resolve("owned"), 7, 8);
    upper =
        Trees.write(
            tmp.resolve("upper"), "app/a=upA", "data/new=N", "lnk->/app/a", "rel->app/../app/old");
    Posix.mknod(upper.resolve("app/b"), FileStat.S_IFCHR, 0, 0, 0); // whiteout
    Posix.lsetxattr(upper.resolve("data"), "trusted.overlay.opaque", new byte[] {'y'});
    ctx = Trees.write(tmp.resolve("ctx"), "a.txt=A", "dir/c.txt=C");
  }

  private List<String> stage(Specs specs) throws IOException {
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(specs.build(), staging);
    return Trees.list(staging);
  }

  private Specs from(String dest, String... sources) {
    return Specs.copy(ctx, dest, sources).from(upper, lower);
  }

  @Test
  void from_mergesLayersAndHidesWhiteouts() throws IOException {
    assertEquals(
        List.of(
            "d 0755 0:0 out",
            "f 0644 0:0 out/a \"upA\"",
            "d 0755 0:0 out/old",
            "f 0644 0:0 out/old/x \"X\""),
        stage(from("/out/", "/app")));
  }

  @Test
  void from_anOpaqueDirectoryHidesTheLowerContents() throws IOException {
    assertEquals(
        List.of("d 0755 0:0 out", "f 0644 0:0 out/new \"N\""), stage(from("/out/", "data")));
  }

  @Test
  void from_followsSymlinksInsideTheRootfs() throws IOException {
    assertEquals(
        List.of("d 0755 0:0 out", "f 0644 0:0 out/lnk \"upA\""), stage(from("/out/", "lnk")));
    assertEquals(List.of("d 0755 0:0 out", "f 0644 0:0 out/x \"X\""), stage(from("/out", "rel")));
  }

  @Test
  void from_keepsOwnersOfImageFiles() throws IOException {
    assertEquals(List.of("f 0644 7:8 owned \"O\""), stage(from("/", "owned")));
  }

  @Test
  void from_aWhitedOutSourceIsNotFound() {
    CopyException e =
        assertThrows(
            CopyException.class,
            () ->
                Copier.stage(
                    from("/out/", "app/b").build(), Files.createDirectories(tmp.resolve("s"))));
    assertEquals(
        "Dockerfile:7: COPY failed: \"app/b\" not found in the --from stage or image",
        e.getMessage());
  }

  @Test
  void from_anEmptyRootfsHasNothing() {
    CopyException e =
        assertThrows(
            CopyException.class,
            () ->
                Copier.stage(
                    Specs.copy(ctx, "/out/", "/").from().build(),
                    Files.createDirectories(tmp.resolve("s"))));
    assertEquals(
        "Dockerfile:7: COPY failed: \"/\" not found in the --from stage or image", e.getMessage());
  }

  @Test
  void destination_theRootOfScratchIsADirectory() throws IOException {
    assertEquals(
        List.of("f 0644 0:0 a.txt \"A\"", "f 0644 0:0 c.txt \"C\""),
        stage(Specs.copy(ctx, "/", "a.txt", "dir/c.txt")));
    assertEquals(List.of("f 0644 0:0 c.txt \"C\""), stage(Specs.copy(ctx, "/.", "dir")));
  }

  @Test
  void destination_existingParentsKeepTheirMetadata() throws IOException {
    Path image = Trees.write(tmp.resolve("image"), "usr/");
    Posix.lchown(image.resolve("usr"), 5, 6);
    Posix.chmod(image.resolve("usr"), 0700);
    Posix.lutimes(image.resolve("usr"), Trees.OLD, Trees.OLD);
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Copier.stage(Specs.copy(ctx, "/usr/local/bin/", "a.txt").into(image).build(), staging);
    assertEquals(
        List.of(
            "d 0700 5:6 usr",
            "d 0755 0:0 usr/local",
            "d 0755 0:0 usr/local/bin",
            "f 0644 0:0 usr/local/bin/a.txt \"A\""),
        Trees.list(staging));
    assertEquals(Trees.OLD, Trees.mtime(staging.resolve("usr")));
  }

  @Test
  void destination_anExistingDirectoryWithoutSlashReceivesTheFile() throws IOException {
    Path image = Trees.write(tmp.resolve("image"), "data/");
    assertEquals(
        List.of("d 0755 0:0 data", "f 0644 0:0 data/a.txt \"A\""),
        stage(Specs.copy(ctx, "/data", "a.txt").into(image)));
  }

  @Test
  void destination_followsSymlinksOfTheImage() throws IOException {
    Path image = Trees.write(tmp.resolve("image"), "usr/bin/", "bin->usr/bin");
    assertEquals(
        List.of("d 0755 0:0 usr", "d 0755 0:0 usr/bin", "f 0644 0:0 usr/bin/a.txt \"A\""),
        stage(Specs.copy(ctx, "/bin/", "a.txt").into(image)));
  }

  @Test
  void destination_chownByNameReadsTheImagesPasswdAndGroup() throws IOException {
    Path image =
        Trees.write(
            tmp.resolve("image"),
            "etc/passwd=root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n",
            "etc/group=root:x:0:\nstaff:x:50:app\n");
    assertEquals(
        List.of("d 0755 1000:50 srv", "f 0644 1000:50 srv/a.txt \"A\""),
        stage(Specs.copy(ctx, "/srv/", "a.txt").chown("app:staff").into(image)));
  }

  @Test
  void destination_chownByNameTakesThePrimaryGroupFromPasswd() throws IOException {
    // Both references give 1234:2345 for --chown=svc (bench/compat/cases/copy-chown-names).
    Path image =
        Trees.write(tmp.resolve("image"), "etc/passwd=app:x:1000:2000::/home/app:/bin/sh\n");
    assertEquals(
        List.of("f 0644 1000:2000 a.txt \"A\""),
        stage(Specs.copy(ctx, "/", "a.txt").chown("app").into(image)));
  }

  @Test
  void destination_chownByUidAloneUsesTheUidAsGid() throws IOException {
    Path image =
        Trees.write(tmp.resolve("image"), "etc/passwd=app:x:1000:2000::/home/app:/bin/sh\n");
    assertEquals(
        List.of("f 0644 1000:1000 a.txt \"A\""),
        stage(Specs.copy(ctx, "/", "a.txt").chown("1000").into(image)));
  }

  @Test
  void destination_chownOfAnUnknownNameFails() {
    CopyException e =
        assertThrows(
            CopyException.class,
            () ->
                Copier.stage(
                    Specs.copy(ctx, "/", "a.txt").chown("nobody").build(),
                    Files.createDirectories(tmp.resolve("s"))));
    assertTrue(
        e.getMessage().startsWith("Dockerfile:7: COPY failed: --chown=nobody: unable to find user"),
        e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void destination_aDirectoryIsNeverReplacedByAFile() throws IOException {
    Path image = Trees.write(tmp.resolve("image"), "app/a.txt/");
    CopyException e =
        assertThrows(
            CopyException.class,
            () ->
                Copier.stage(
                    Specs.copy(ctx, "/app/", "a.txt").into(image).build(),
                    Files.createDirectories(tmp.resolve("s"))));
    assertEquals(
        "Dockerfile:7: COPY failed: cannot replace directory \"/app/a.txt\" with a file; end the"
            + " destination with / to copy into it",
        e.getMessage());
  }

  @Test
  void destination_aFileInTheImageCannotBecomeAParent() throws IOException {
    Path image = Trees.write(tmp.resolve("image"), "etc/passwd=root:x:0:0::/:/bin/sh\n");
    CopyException e =
        assertThrows(
            CopyException.class,
            () ->
                Copier.stage(
                    Specs.copy(ctx, "/etc/passwd/x/", "a.txt").into(image).build(),
                    Files.createDirectories(tmp.resolve("s"))));
    assertEquals(
        "Dockerfile:7: COPY failed: cannot copy into \"/etc/passwd\": it is not a directory in"
            + " the destination image",
        e.getMessage());
  }

  @Test
  void destination_aDirectoryIsNotCopiedOntoAFile() throws IOException {
    Path image = Trees.write(tmp.resolve("image"), "conf=x");
    CopyException e =
        assertThrows(
            CopyException.class,
            () ->
                Copier.stage(
                    Specs.copy(ctx, "/conf", "dir").into(image).build(),
                    Files.createDirectories(tmp.resolve("s"))));
    assertEquals(
        "Dockerfile:7: COPY failed: cannot copy to non-directory: \"/conf\"", e.getMessage());
  }

  /**
   * Measured with Docker 20.10's BuildKit, over an image with /t/dir, /t/file, /t/ldir -> /t/dir
   * and /t/lfile -> /t/file: a directory found inside a copied directory is merged only into a
   * directory, and a file never replaces a directory.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "sub/file/in=1 | cannot copy to non-directory: \"/t/file\"",
        "sub/ldir/in=2 | cannot copy to non-directory: \"/t/ldir\"",
        "sub/lfile/in=3 | cannot copy to non-directory: \"/t/lfile\"",
        "sub/dir=4 | cannot replace directory \"/t/dir\" with a file"
      })
  void destination_aNestedSourceNeverChangesTheKindOfAnImagePath(String source, String message)
      throws IOException {
    Path image = Trees.write(tmp.resolve("image"), "t/dir/old=O", "t/file=F");
    Posix.symlink("/t/dir", image.resolve("t/ldir"));
    Posix.symlink("/t/file", image.resolve("t/lfile"));
    Path context = Trees.write(tmp.resolve("nested"), source);
    CopyException e =
        assertThrows(
            CopyException.class,
            () ->
                Copier.stage(
                    Specs.copy(context, "/t/", "sub").into(image).build(),
                    Files.createDirectories(tmp.resolve("s"))));
    assertEquals("Dockerfile:7: COPY failed: " + message, e.getMessage());
  }

  @Test
  void destination_aNestedDirectoryMergesIntoAnImageDirectory() throws IOException {
    Path image = Trees.write(tmp.resolve("image"), "t/dir/old=O");
    Path context = Trees.write(tmp.resolve("nested"), "sub/dir/in=5");
    assertEquals(
        List.of("d 0755 0:0 t", "d 0755 0:0 t/dir", "f 0644 0:0 t/dir/in \"5\""),
        stage(Specs.copy(context, "/t/", "sub").into(image)));
  }
}
