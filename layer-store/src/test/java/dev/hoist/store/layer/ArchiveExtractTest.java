package dev.hoist.store.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hoist.store.posix.Posix;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LayerApplier#extract}: an archive ADDed into /opt/x/y of an image. Each expectation is
 * where Docker 20.10's BuildKit and Buildah 1.28 both put the entry: they extract as if chrooted
 * into the destination, so a symlink the archive makes resolves inside it, {@code ..} stopping
 * there.
 */
class ArchiveExtractTest {
  private static final String LABEL = "archive \"a.tar\"";
  private static final Instant IMAGE_TIME = Instant.parse("2001-02-03T04:05:06Z");

  @TempDir Path tmp;
  private Path root; // the staged destination, /opt/x/y
  private Path image; // what the image holds at /opt/x/y

  @BeforeEach
  void layout() throws IOException {
    root = Files.createDirectories(tmp.resolve("staging/opt/x/y"));
    image = Files.createDirectories(tmp.resolve("image/opt/x/y"));
    Files.createDirectory(image.resolve("sub"));
    Posix.chmod(image.resolve("sub"), 0700);
    Posix.lutimes(image.resolve("sub"), IMAGE_TIME, IMAGE_TIME);
    Posix.symlink("sub", image.resolve("rel"));
    Posix.symlink("/usr", image.resolve("abs"));
    Files.writeString(image.resolve("file"), "f");
  }

  private Underlay imageView() {
    return relative -> {
      Path p = image.resolve(relative);
      return Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
          ? Optional.of(p)
          : Optional.empty();
    };
  }

  private void extract(HostileTar archive) throws IOException {
    ApplyOptions options =
        new ApplyOptions(ApplyOptions.Target.TREE, Posix.isRoot(), LABEL, Optional.empty());
    new LayerApplier(options).extract(new ByteArrayInputStream(archive.bytes()), root, imageView());
  }

  static Stream<Arguments> landings() throws IOException {
    return Stream.of(
        Arguments.of(new HostileTar().symlink("d", "..").file("d/etc/file", "1"), "etc/file"),
        Arguments.of(new HostileTar().symlink("d", "../../..").file("d/etc/file", "2"), "etc/file"),
        Arguments.of(
            new HostileTar().dir("etc/").symlink("d", "/etc").file("d/file", "3"), "etc/file"),
        Arguments.of(new HostileTar().file("rel/f", "4"), "sub/f"),
        Arguments.of(new HostileTar().dir("rel/").file("rel/f", "5"), "rel/f"));
  }

  @ParameterizedTest
  @MethodSource("landings")
  void anEntryThroughASymlink_landsInsideTheDestinationAsInAChroot(
      HostileTar archive, String landing) throws IOException {
    extract(archive);
    assertEquals(true, Files.isRegularFile(root.resolve(landing)), landing);
    assertEquals(List.of(), leftovers());
  }

  @Test
  void aDirectoryOfTheImageOnTheWay_isRepeatedAsItIs() throws IOException {
    extract(new HostileTar().file("rel/f", "4"));
    assertEquals(0700, Posix.lstat(root.resolve("sub")).permissions());
    assertEquals(IMAGE_TIME, Posix.lstat(root.resolve("sub")).mtime());
    assertEquals(false, Files.exists(root.resolve("rel"))); // the image's symlink stays as it is
  }

  @Test
  void aSymlinkOfTheImageToNothing_isRefusedAsDockerDoes() {
    IOException e =
        assertThrows(IOException.class, () -> extract(new HostileTar().file("abs/share/f", "x")));
    assertEquals(
        LABEL
            + ": entry \"abs/share/f\" needs \"usr\", which a symlink on the way points at, but it"
            + " does not exist (links resolve as if the destination directory were /)",
        e.getMessage());
  }

  @Test
  void aFileOfTheImageOnTheWay_isNotADirectory() {
    IOException e =
        assertThrows(IOException.class, () -> extract(new HostileTar().file("file/f", "x")));
    assertEquals(
        LABEL + ": entry \"file/f\" needs \"file\" to be a directory, but it is a file",
        e.getMessage());
  }

  /** Anything written outside the staged destination. */
  private List<String> leftovers() throws IOException {
    try (Stream<Path> all = Files.walk(tmp.resolve("staging"))) {
      return all.filter(p -> !p.startsWith(root) && !root.startsWith(p))
          .map(Path::toString)
          .toList();
    }
  }
}
