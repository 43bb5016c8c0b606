package dev.hoist.builder.cli;

import dev.hoist.builder.build.BuildRequest;
import dev.hoist.builder.build.CsvOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code hoist build --secret}: one secret for {@code RUN --mount=type=secret}. */
final class SecretOption {
  private SecretOption() {}

  /**
   * buildx's {@code --secret}: {@code id=ID} with {@code src=PATH} (a file) or {@code env=VAR};
   * {@code type=env} reads {@code src=} as the variable's name; with neither, the variable named
   * like the id.
   */
  static BuildRequest.Secret parse(String text, Map<String, String> env) {
    Map<String, String> kv = CsvOptions.parse(text, "");
    for (String key : kv.keySet()) {
      if (!List.of("type", "id", "src", "source", "env").contains(key)) {
        throw new IllegalArgumentException(
            "--secret " + text + ": unknown key '" + key + "'; use id, type, src or env");
      }
    }
    String id = kv.get("id");
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("--secret " + text + ": needs id=ID");
    }
    String type = kv.getOrDefault("type", "file");
    if (!type.equals("file") && !type.equals("env")) {
      throw new IllegalArgumentException(
          "--secret " + text + ": type must be file or env, not " + type);
    }
    String src = kv.getOrDefault("src", kv.get("source"));
    if (src != null && type.equals("file") && !kv.containsKey("env")) {
      return new BuildRequest.Secret(
          id, Optional.of(Path.of(src).toAbsolutePath()), Optional.empty());
    }
    if (src != null && kv.containsKey("env")) {
      throw new IllegalArgumentException("--secret " + text + ": give src= or env=, not both");
    }
    String var = kv.getOrDefault("env", src != null ? src : id);
    String value = env.get(var);
    if (value == null) {
      throw new IllegalArgumentException(
          "--secret " + text + ": environment variable " + var + " is not set");
    }
    return new BuildRequest.Secret(
        id, Optional.empty(), Optional.of(value.getBytes(StandardCharsets.UTF_8)));
  }
}
