package dev.hoist.builder.instructions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code --name[=value]} flags of one instruction, checked against what that instruction
 * accepts (BuildKit's BFlags). Errors name the flag and what the instruction accepts, and say which
 * instruction a misplaced flag belongs to.
 */
final class Flags {
  enum Kind {
    STRING,
    BOOL,
    REPEATED
  }

  /** Every flag of every instruction, to say where a misplaced flag belongs. */
  static final Map<String, Map<String, Kind>> ALLOWED =
      Map.of(
          "FROM", Map.of("platform", Kind.STRING),
          "RUN",
              Map.of(
                  "mount", Kind.REPEATED,
                  "network", Kind.STRING,
                  "security", Kind.STRING,
                  "device", Kind.REPEATED),
          "COPY",
              Map.of(
                  "from", Kind.STRING,
                  "chown", Kind.STRING,
                  "chmod", Kind.STRING,
                  "link", Kind.BOOL,
                  "parents", Kind.BOOL,
                  "exclude", Kind.REPEATED),
          "ADD",
              Map.of(
                  "chown", Kind.STRING,
                  "chmod", Kind.STRING,
                  "link", Kind.BOOL,
                  "keep-git-dir", Kind.BOOL,
                  "checksum", Kind.STRING,
                  "exclude", Kind.REPEATED,
                  "unpack", Kind.BOOL),
          "HEALTHCHECK",
              Map.of(
                  "interval", Kind.STRING,
                  "timeout", Kind.STRING,
                  "start-period", Kind.STRING,
                  "start-interval", Kind.STRING,
                  "retries", Kind.STRING));

  private final Map<String, String> strings = new HashMap<>();
  private final Map<String, Boolean> bools = new HashMap<>();
  private final Map<String, List<String>> repeated = new HashMap<>();

  private Flags() {}

  /**
   * Parses {@code words} (each {@code --name} or {@code --name=value}) for {@code instruction}.
   *
   * @throws IllegalArgumentException with a one-line message
   */
  static Flags parse(String instruction, List<String> words) {
    Map<String, Kind> allowed = ALLOWED.getOrDefault(instruction, Map.of());
    Flags f = new Flags();
    Map<String, Boolean> seen = new LinkedHashMap<>();
    for (String word : words) {
      if (!word.startsWith("--")) {
        throw new IllegalArgumentException("arg should start with -- : " + word);
      }
      String body = word.substring(2);
      int eq = body.indexOf('=');
      String name = (eq < 0 ? body : body.substring(0, eq)).toLowerCase(Locale.ROOT);
      Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(body.substring(eq + 1));
      Kind kind = allowed.get(name);
      if (kind == null) {
        throw new IllegalArgumentException(unknown(instruction, name, allowed.keySet()));
      }
      if (kind != Kind.REPEATED && seen.put(name, true) != null) {
        throw new IllegalArgumentException("duplicate flag specified: --" + name);
      }
      switch (kind) {
        case STRING -> {
          if (value.isEmpty()) {
            throw new IllegalArgumentException(
                "missing a value on flag --" + name + "; write --" + name + "=VALUE");
          }
          f.strings.put(name, value.get());
        }
        case BOOL -> {
          String v = value.orElse("true").toLowerCase(Locale.ROOT);
          if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(
                "expecting boolean value for flag --" + name + ", not: " + value.get());
          }
          f.bools.put(name, v.equals("true"));
        }
        case REPEATED -> {
          if (value.isEmpty()) {
            throw new IllegalArgumentException(
                "missing a value on flag --" + name + "; write --" + name + "=VALUE");
          }
          f.repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(value.get());
        }
      }
    }
    return f;
  }

  private static String unknown(String instruction, String name, Set<String> allowed) {
    List<String> owners = new ArrayList<>();
    ALLOWED.forEach(
        (ins, flags) -> {
          if (flags.containsKey(name)) {
            owners.add(ins);
          }
        });
    owners.sort(null);
    StringBuilder msg = new StringBuilder("unknown flag --" + name + " on " + instruction);
    if (!owners.isEmpty()) {
      msg.append(" (it belongs to ").append(String.join(", ", owners)).append(")");
    }
    if (allowed.isEmpty()) {
      msg.append("; ").append(instruction).append(" takes no flags");
    } else {
      msg.append("; ")
          .append(instruction)
          .append(" accepts ")
          .append(String.join(", ", new TreeSet<>(allowed).stream().map(s -> "--" + s).toList()));
    }
    return msg.toString();
  }

  Optional<String> string(String name) {
    return Optional.ofNullable(strings.get(name));
  }

  boolean bool(String name) {
    return bools.getOrDefault(name, false);
  }

  /** A boolean flag whose absence means something else than false (ADD --unpack). */
  Optional<Boolean> optionalBool(String name) {
    return Optional.ofNullable(bools.get(name));
  }

  List<String> repeated(String name) {
    return List.copyOf(repeated.getOrDefault(name, List.of()));
  }
}
