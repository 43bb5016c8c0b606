package dev.hoist.builder.cli;

import dev.hoist.builder.build.CsvOptions;
import dev.hoist.image.Reference;
import java.util.Map;

/** {@code hoist build --cache-from} and {@code --cache-to}: the registry cache they name. */
final class CacheOption {
  private CacheOption() {}

  /**
   * {@code REF} or buildx's {@code type=registry,ref=REF}; {@code --cache-to} also takes {@code
   * mode=max}, which is what hoist writes (every stage's steps). Keys hoist would not honour are
   * refused.
   */
  static Reference ref(String flag, String text) {
    if (!text.contains("=")) {
      return Reference.parse(text);
    }
    Map<String, String> kv = CsvOptions.parse(text, "");
    String type = kv.getOrDefault("type", "registry");
    if (!type.equals("registry")) {
      throw new IllegalArgumentException(
          flag + " type=" + type + " is not supported by hoist: use type=registry,ref=REF");
    }
    for (Map.Entry<String, String> e : kv.entrySet()) {
      boolean known =
          switch (e.getKey()) {
            case "type", "ref" -> true;
            case "mode" -> flag.equals("--cache-to") && e.getValue().equals("max");
            default -> false;
          };
      if (!known) {
        throw new IllegalArgumentException(
            flag
                + " '"
                + text
                + "': hoist does not support "
                + e.getKey()
                + "="
                + e.getValue()
                + (e.getKey().equals("mode") ? " (it writes every stage's steps, as mode=max)" : "")
                + "; remove it");
      }
    }
    String ref = kv.get("ref");
    if (ref != null) {
      return Reference.parse(ref);
    }
    throw new IllegalArgumentException(flag + " '" + text + "' names no ref=REF");
  }
}
