package dev.hoist.builder.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The project's own Dockerfiles in {@code testdata/dockerfiles}. */
public final class TestData {
  private TestData() {}

  public static Path dockerfiles() {
    String repo = System.getProperty("hoist.repo");
    Path root = repo != null ? Path.of(repo) : Path.of("..");
    Path dir = root.resolve("testdata").resolve("dockerfiles");
    if (!Files.isDirectory(dir)) {
      dir = Path.of("..", "testdata", "dockerfiles");
    }
    return dir.toAbsolutePath().normalize();
  }

  /** Every {@code *.Dockerfile} directly in testdata/dockerfiles, sorted. */
  public static List<Path> all() {
    try (Stream<Path> s = Files.list(dockerfiles())) {
      return s.filter(p -> p.getFileName().toString().endsWith(".Dockerfile")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
