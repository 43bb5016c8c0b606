package dev.hoist.testkit.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A case of bench/compat/cases: its directory (Dockerfile and context) and its optional
 * case.properties ({@code build-args=K=V,K2=V2}, {@code target=STAGE}, {@code expect=fail}, {@code
 * note=free text}).
 */
public record CompatCase(
    String name, Path dir, List<String> buildArgs, Optional<String> target, boolean expectFail) {
  /** Stands for the busybox base image reference in a case's Dockerfile. */
  public static final String BUSYBOX = "{{BUSYBOX}}";

  private static final Set<String> KEYS = Set.of("build-args", "target", "expect", "note");

  public CompatCase {
    buildArgs = List.copyOf(buildArgs);
  }

  /** Every case under {@code casesDir}, sorted by name. */
  public static List<CompatCase> all(Path casesDir) throws IOException {
    List<CompatCase> cases = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(casesDir)) {
      for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory).sorted()::iterator) {
        cases.add(read(dir));
      }
    }
    return cases;
  }

  public static CompatCase read(Path dir) throws IOException {
    String name = dir.getFileName().toString();
    List<String> buildArgs = List.of();
    Optional<String> target = Optional.empty();
    boolean expectFail = false;
    Path props = dir.resolve("case.properties");
    if (Files.exists(props)) {
      for (String line : Files.readAllLines(props, StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int eq = line.indexOf('=');
        String key = eq < 0 ? line.strip() : line.substring(0, eq).strip();
        String value = eq < 0 ? "" : line.substring(eq + 1).strip();
        if (!KEYS.contains(key)) {
          throw new IOException(props + ": unknown key '" + key + "' (known: " + KEYS + ")");
        }
        switch (key) {
          case "build-args" ->
              buildArgs = Arrays.stream(value.split(",")).filter(s -> !s.isEmpty()).toList();
          case "target" -> target = Optional.of(value);
          case "expect" -> expectFail = value.equals("fail");
          default -> {}
        }
      }
    }
    return new CompatCase(name, dir, buildArgs, target, expectFail);
  }

  /**
   * Copies the case's context to {@code into} (created) as it is in the repository, modes as git
   * keeps them, and returns the copy. The Dockerfile in it keeps {@link #BUSYBOX}: a case that
   * copies its context into the image must not see the registry's random port.
   */
  public Path context(Path into) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path copy = into.resolve(dir.relativize(p).toString());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(p, copy, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    gitModes(into);
    return into;
  }

  /**
   * Writes the case's Dockerfile with {@link #BUSYBOX} replaced by {@code busybox} to {@code file},
   * to build with {@code -f FILE} outside the context, and returns it.
   */
  public Path dockerfile(String busybox, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, Files.readString(dir.resolve("Dockerfile")).replace(BUSYBOX, busybox));
    return file;
  }

  /** Git keeps only 0644 and 0755; a checkout's umask must not change what COPY sees. */
  private static void gitModes(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isSymbolicLink(p)) {
          continue;
        }
        String mode = Files.isDirectory(p) || Files.isExecutable(p) ? "rwxr-xr-x" : "rw-r--r--";
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
      }
    }
  }
}
