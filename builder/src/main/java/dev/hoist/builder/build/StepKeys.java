package dev.hoist.builder.build;

import dev.hoist.builder.instructions.Instruction;
import dev.hoist.image.Digest;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Cache keys. A step's key is a digest of its parent's key, the instruction after expansion (its
 * words, flags and heredocs; not its line numbers, so moving a line elsewhere keeps the cache), and
 * whatever else its result depends on: the build args and environment a RUN sees, the content of
 * what a COPY reads.
 */
final class StepKeys {
  private StepKeys() {}

  /** The key of a stage that starts from {@code base} (an image's manifest digest, or scratch). */
  static Digest base(String base, String platform) {
    return digest("base", base, platform);
  }

  static Digest step(Digest parent, Instruction instruction, String... extra) {
    String[] parts = new String[extra.length + 2];
    parts[0] = parent.toString();
    parts[1] = describe(instruction);
    System.arraycopy(extra, 0, parts, 2, extra.length);
    return digest(parts);
  }

  /** {@code K=V} lines of a map in key order, for a key part that must not depend on map order. */
  static String lines(Map<String, String> values) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(values).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }

  /**
   * The instruction's kind and every component but its source location, each value as a record's
   * own {@code toString} shows it ({@code ArgDecl[name=A, defaultValue=Optional[b]]}).
   */
  static String describe(Instruction instruction) {
    StringBuilder sb = new StringBuilder(instruction.keyword());
    for (RecordComponent c : instruction.getClass().getRecordComponents()) {
      if (c.getName().equals("source")) {
        continue;
      }
      sb.append('\0').append(c.getName()).append('=');
      append(sb, component((Record) instruction, c));
    }
    return sb.toString();
  }

  /**
   * Appends {@code value} as {@code String.valueOf} would, but writes the instruction package's
   * records (none overrides {@code toString}) itself: a record's generated {@code toString} is
   * linked through {@code ObjectMethods} on first use, a sixteenth of a cached build's main thread
   * in a profile. The text, and so every cache key, is the same.
   */
  private static void append(StringBuilder sb, Object value) {
    if (value instanceof Record r && r.getClass().getPackage() == Instruction.class.getPackage()) {
      sb.append(r.getClass().getSimpleName()).append('[');
      RecordComponent[] components = r.getClass().getRecordComponents();
      for (int i = 0; i < components.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=');
        append(sb, component(r, components[i]));
      }
      sb.append(']');
    } else if (value instanceof Collection<?> items) {
      sb.append('[');
      String separator = "";
      for (Object item : items) {
        sb.append(separator);
        append(sb, item);
        separator = ", ";
      }
      sb.append(']');
    } else if (value instanceof Map<?, ?> map) {
      sb.append('{');
      String separator = "";
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append(separator);
        append(sb, e.getKey());
        sb.append('=');
        append(sb, e.getValue());
        separator = ", ";
      }
      sb.append('}');
    } else if (value instanceof Optional<?> o) {
      if (o.isPresent()) {
        sb.append("Optional[");
        append(sb, o.get());
        sb.append(']');
      } else {
        sb.append("Optional.empty");
      }
    } else {
      sb.append(value);
    }
  }

  private static Object component(Record r, RecordComponent c) {
    try {
      return c.getAccessor().invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot read " + c + " of " + r.getClass().getSimpleName(), e);
    }
  }

  private static Digest digest(String... parts) {
    MessageDigest md = Digest.newMessageDigest(Digest.SHA256);
    for (String p : parts) {
      byte[] b = p.getBytes(StandardCharsets.UTF_8);
      md.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
      md.update((byte) ':');
      md.update(b);
    }
    return Digest.of(Digest.SHA256, md.digest());
  }
}
