package dev.hoist.builder.context;

import java.util.ArrayDeque;
import java.util.Deque;

/** Go's {@code path/filepath.Clean} and {@code Dir} for slash-separated paths. */
public final class GoPaths {
  private GoPaths() {}

  /**
   * The shortest equivalent path: repeated slashes, {@code .} and {@code dir/..} removed; {@code
   * ..} above a rooted path dropped; empty becomes {@code .}.
   */
  public static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.startsWith("/");
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
          parts.removeLast();
        } else if (!rooted) {
          parts.addLast("..");
        }
        continue;
      }
      parts.addLast(part);
    }
    String joined = String.join("/", parts);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }

  /** All but the last element, cleaned: {@code a/b/c} → {@code a/b}, {@code c} → {@code .}. */
  public static String dir(String path) {
    int slash = path.lastIndexOf('/');
    return clean(slash < 0 ? "" : path.substring(0, slash + 1));
  }
}
