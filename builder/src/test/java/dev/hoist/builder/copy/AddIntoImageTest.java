package dev.hoist.builder.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hoist.store.posix.Posix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADD of a local archive into an image's directory, each case measured with Docker 20.10's BuildKit
 * and Buildah 1.28 (both extract as if chrooted into the destination directory).
 */
class AddIntoImageTest {
  @TempDir Path tmp;
  Path ctx;
  Path image;

  @BeforeEach
  void layout() throws IOException {
    ctx = Files.createDirectories(tmp.resolve("ctx"));
    image = Trees.write(tmp.resolve("image"), "o/sub/old=O", "o/file=F");
    Posix.chmod(image.resolve("o/sub"), 0700);
    Posix.symlink("sub", image.resolve("o/rel"));
    Posix.symlink("/usr", image.resolve("o/abs"));
  }

  /** Entries as {@code name=content}, {@code name->target} or {@code name/}. */
  private void archive(String... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (String e : entries) {
        if (e.contains("->")) {
          TarArchiveEntry link = new TarArchiveEntry(e.split("->")[0], TarArchiveEntry.LF_SYMLINK);
          link.setLinkName(e.split("->")[1]);
          tar.putArchiveEntry(link);
        } else if (e.endsWith("/")) {
          tar.putArchiveEntry(new TarArchiveEntry(e));
        } else {
          byte[] content = e.split("=")[1].getBytes(StandardCharsets.UTF_8);
          TarArchiveEntry file = new TarArchiveEntry(e.split("=")[0]);
          file.setSize(content.length);
          tar.putArchiveEntry(file);
          tar.write(content);
        }
        tar.closeArchiveEntry();
      }
    }
    Files.write(ctx.resolve("a.tar"), bytes.toByteArray());
  }

  private List<String> stage() throws IOException {
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(Specs.add(ctx, "/o/", "a.tar").into(image).build(), staging);
    return Trees.list(staging).stream().filter(l -> l.startsWith("f ")).toList();
  }

  @Test
  void aSymlinkTheArchiveMakes_leadsUpToTheDestinationAndNoFurther() throws IOException {
    archive("d->..", "d/etc/one=1", "e->../../..", "e/etc/two=2");
    assertEquals(List.of("f 0644 0:0 o/etc/one \"1\"", "f 0644 0:0 o/etc/two \"2\""), stage());
  }

  @Test
  void aSymlinkOfTheImageBelowTheDestination_isFollowedAndItsDirectoryKept() throws IOException {
    archive("rel/f=via");
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(Specs.add(ctx, "/o/", "a.tar").into(image).build(), staging);
    assertEquals(
        List.of("d 0755 0:0 o", "d 0700 0:0 o/sub", "f 0644 0:0 o/sub/f \"via\""),
        Trees.list(staging));
  }

  @Test
  void aSymlinkOfTheImageToAPathOutsideTheDestination_failsAsInDocker() throws IOException {
    archive("abs/share/f=x");
    CopyException e = assertThrows(CopyException.class, this::stage);
    assertEquals(
        "Dockerfile:7: ADD failed: cannot extract: archive \"a.tar\": entry \"abs/share/f\" needs"
            + " \"usr\", which a symlink on the way points at, but it does not exist (links resolve"
            + " as if the destination directory were /)",
        e.getMessage());
  }

  @Test
  void theArchivesRootEntry_leavesTheDestinationDirectoryAsItIs() throws IOException {
    archive("./", "./x=x");
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(Specs.add(ctx, "/o/sub/", "a.tar").into(image).build(), staging);
    assertEquals(
        List.of("d 0755 0:0 o", "d 0700 0:0 o/sub", "f 0644 0:0 o/sub/x \"x\""),
        Trees.list(staging));
  }

  @Test
  void aFileOfTheImageOnTheWay_failsAsInDocker() throws IOException {
    archive("file/x=x");
    CopyException e = assertThrows(CopyException.class, this::stage);
    assertEquals(
        "Dockerfile:7: ADD failed: cannot extract: archive \"a.tar\": entry \"file/x\" needs"
            + " \"file\" to be a directory, but it is a file",
        e.getMessage());
  }

  @Test
  void chown_leavesTheImagesDirectoriesOnTheWayAsTheyAre() throws IOException {
    archive("rel/f=via", "new/g=g");
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(Specs.add(ctx, "/o/", "a.tar").chown("1000:1001").into(image).build(), staging);
    assertEquals(
        List.of(
            "d 0755 0:0 o",
            "d 0755 1000:1001 o/new",
            "f 0644 1000:1001 o/new/g \"g\"",
            "d 0700 0:0 o/sub",
            "f 0644 1000:1001 o/sub/f \"via\""),
        Trees.list(staging));
  }
}
