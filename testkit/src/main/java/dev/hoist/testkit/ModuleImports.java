package dev.hoist.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps the module rule of DESIGN.md true: reads every import of a module's main sources and
 * reports those that reach a hoist module the module must not depend on.
 */
public final class ModuleImports {
  private static final Pattern HOIST_IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?dev\\.hoist\\.([a-z]+)\\.", Pattern.MULTILINE);

  private ModuleImports() {}

  /**
   * Returns one line per forbidden import found under {@code sourceRoot}: {@code File.java imports
   * dev.hoist.X}.
   *
   * @param ownPackage the module's own top-level package below {@code dev.hoist}
   * @param allowed the other top-level packages it may import
   */
  public static List<String> violations(Path sourceRoot, String ownPackage, Set<String> allowed) {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      for (Path file :
          (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        Matcher m = HOIST_IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          String target = m.group(1);
          if (!target.equals(ownPackage) && !allowed.contains(target)) {
            found.add(sourceRoot.relativize(file) + " imports dev.hoist." + target);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** The main source root of the module whose tests are running (Maven runs them in it). */
  public static Path mainSources() {
    Path root = Path.of("src", "main", "java");
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("no src/main/java below " + Path.of("").toAbsolutePath());
    }
    return root;
  }
}
