package dev.hoist.builder.copy;

import java.net.URI;
import java.util.Locale;

/** How ADD tells remote sources from local paths, and names what it downloads. */
final class Urls {
  private Urls() {}

  /** An {@code http(s)://} URL or a git remote: not a path in the source tree. */
  static boolean isRemote(String source) {
    String s = source.toLowerCase(Locale.ROOT);
    return s.startsWith("http://") || s.startsWith("https://") || isGit(source);
  }

  /** A git repository, by BuildKit's rules ({@link GitRef#parse}). */
  static boolean isGit(String source) {
    return GitRef.isGit(source);
  }

  /** The file name a download gets: the last path element, as BuildKit names it. */
  static String fileName(URI url) {
    String path = url.getPath() == null ? "" : url.getPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String base = path.substring(path.lastIndexOf('/') + 1);
    return base.isEmpty() || base.equals(".") ? "__unnamed__" : base;
  }
}
