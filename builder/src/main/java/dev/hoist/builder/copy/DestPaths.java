package dev.hoist.builder.copy;

import dev.hoist.builder.context.GoPaths;

/** Path arithmetic on slash-separated image paths relative to the root ("" is the root). */
final class DestPaths {
  private DestPaths() {}

  /** {@code /a/b/} → {@code a/b}; {@code /} → "". */
  static String relative(String absolute) {
    String clean = GoPaths.clean("/" + absolute);
    return clean.equals("/") ? "" : clean.substring(1);
  }

  static String join(String dir, String name) {
    if (dir.isEmpty()) {
      return name;
    }
    return name.isEmpty() ? dir : dir + "/" + name;
  }

  /** The parent of a relative path; "" for a top-level name. */
  static String parent(String relative) {
    int slash = relative.lastIndexOf('/');
    return slash < 0 ? "" : relative.substring(0, slash);
  }

  static String base(String path) {
    String clean = GoPaths.clean(path);
    int slash = clean.lastIndexOf('/');
    return slash < 0 ? clean : clean.substring(slash + 1);
  }

  /** How the path is shown in messages: absolute. */
  static String show(String relative) {
    return "/" + relative;
  }
}
