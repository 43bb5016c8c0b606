package dev.hoist.testkit.compat;

/**
 * Path spellings of tar entries: {@code ./a/b/}, {@code /a/b} and {@code a/b} are all {@code a/b}.
 */
final class TreePaths {
  private TreePaths() {}

  static String normalise(String name) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    while (n.startsWith("/")) {
      n = n.substring(1);
    }
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n.equals(".") ? "" : n;
  }

  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Whether {@code path} lies below directory {@code dir} ("" is the root). */
  static boolean isBelow(String path, String dir) {
    return dir.isEmpty() ? !path.isEmpty() : path.startsWith(dir + "/");
  }
}
