package dev.hoist.builder.build;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code key=value,key=value} form of {@code --mount}, {@code --secret}, {@code --output} and
 * {@code --cache-from}: keys lower-cased, a bare word read as {@code word=<bare>}.
 */
public final class CsvOptions {
  private CsvOptions() {}

  /** Parses {@code text}; a field without {@code =} gets {@code bare} as its value. */
  public static Map<String, String> parse(String text, String bare) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String field : text.split(",")) {
      if (field.isBlank()) {
        continue;
      }
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      kv.put(key, eq < 0 ? bare : field.substring(eq + 1));
    }
    return kv;
  }
}
