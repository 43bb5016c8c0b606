package dev.hoist.builder.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hoist.builder.instructions.Instruction;
import dev.hoist.image.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Why a step's cache missed, in one line: its inputs compared with those of the last time the same
 * step (same context, Dockerfile, stage and position) missed and was built. Kept in {@code
 * .hoist/cache/slots/}, one small file per step position, written only on a miss; a hint, so not
 * fsynced and never an error.
 */
final class MissReasons {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A step's inputs: the key of the step before it (or of the stage's base), the instruction as the
   * key sees it, its other key parts by name in key order, and for a COPY the trail of what it read
   * ({@link dev.hoist.builder.copy.CopyInputs#trail()}); {@code key} is the step's cache key.
   */
  record Inputs(
      Digest parent,
      String instruction,
      Map<String, String> parts,
      List<String> trail,
      Digest key) {
    Inputs {
      Objects.requireNonNull(parent, "parent");
      Objects.requireNonNull(instruction, "instruction");
      parts = new LinkedHashMap<>(parts);
      trail = List.copyOf(trail);
    }

    /** The inputs of {@code ins} after {@code parent}, keyed as {@link StepKeys#step} keys them. */
    static Inputs of(
        Digest parent, Instruction ins, Map<String, String> parts, List<String> trail) {
      return new Inputs(
          parent,
          StepKeys.describe(ins),
          parts,
          trail,
          StepKeys.step(parent, ins, parts.values().toArray(String[]::new)));
    }
  }

  private final Path dir;
  private final String build;

  /**
   * @param build what identifies the build's steps across runs: the context and Dockerfile
   */
  MissReasons(Path cacheDir, String build) {
    this.dir = cacheDir.resolve("slots");
    this.build = build;
  }

  /**
   * The reason step {@code step} of stage {@code stage} missed, compared with its last miss, and
   * remembers {@code now} for the next one. Empty the first time, and when only the parent changed
   * and {@code parentExplained} (an earlier step already said why).
   */
  Optional<String> explain(int stage, int step, Inputs now, boolean parentExplained) {
    Path file = dir.resolve(slot(stage, step) + ".json");
    Optional<Inputs> before = read(file);
    write(file, now);
    if (before.isEmpty()) {
      return Optional.empty();
    }
    Inputs was = before.get();
    if (!was.instruction().equals(now.instruction())) {
      return Optional.of("the instruction changed");
    }
    for (Map.Entry<String, String> part : now.parts().entrySet()) {
      String old = was.parts().get(part.getKey());
      if (!part.getValue().equals(old)) {
        return Optional.of(changed(part.getKey(), old, part.getValue(), was.trail(), now.trail()));
      }
    }
    if (!was.parent().equals(now.parent())) {
      return parentExplained
          ? Optional.empty()
          : Optional.of("the base image or an earlier step changed");
    }
    return Optional.of("the same inputs as its last build, whose cache entry is gone (pruned?)");
  }

  private static String changed(
      String part, String old, String now, List<String> oldTrail, List<String> newTrail) {
    return switch (part) {
      case "env" -> "build args or environment changed: " + String.join(", ", names(old, now));
      case "sources" -> files(oldTrail, newTrail);
      case "commit" ->
          "the repository's commit changed (" + shorten(old) + " -> " + shorten(now) + ")";
      default -> "its " + part + " changed";
    };
  }

  /** The first image path at which two trails part: a file changed, added or removed. */
  private static String files(List<String> oldTrail, List<String> newTrail) {
    int n = Math.min(oldTrail.size(), newTrail.size());
    for (int i = 0; i < n; i++) {
      String a = target(oldTrail.get(i));
      String b = target(newTrail.get(i));
      if (!a.equals(b)) {
        boolean added = oldTrail.stream().noneMatch(t -> target(t).equals(b));
        return added ? "file " + shown(b) + " was added" : "file " + shown(a) + " was removed";
      }
      if (!oldTrail.get(i).equals(newTrail.get(i))) {
        return "file " + shown(b) + " changed";
      }
    }
    if (oldTrail.size() != newTrail.size() && n > 0) {
      return oldTrail.size() < newTrail.size()
          ? "file " + shown(target(newTrail.get(n))) + " was added"
          : "file " + shown(target(oldTrail.get(n))) + " was removed";
    }
    return "the files it copies changed";
  }

  private static String target(String trailEntry) {
    int tab = trailEntry.lastIndexOf('\t');
    return tab < 0 ? trailEntry : trailEntry.substring(0, tab);
  }

  /** An image path as users write it: absolute. */
  private static String shown(String target) {
    return target.startsWith("/") ? target : "/" + target;
  }

  /** The names whose {@code NAME=value} lines differ between two env parts. */
  private static List<String> names(String old, String now) {
    Map<String, String> a = lines(old);
    Map<String, String> b = lines(now);
    Set<String> names = new TreeSet<>(a.keySet());
    names.addAll(b.keySet());
    List<String> changed = new ArrayList<>();
    for (String name : names) {
      if (!Objects.equals(a.get(name), b.get(name))) {
        changed.add(name);
      }
    }
    return changed;
  }

  private static Map<String, String> lines(String env) {
    Map<String, String> m = new LinkedHashMap<>();
    if (env != null) {
      for (String line : env.split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          m.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    return m;
  }

  private static String shorten(String commit) {
    return commit == null ? "?" : commit.substring(0, Math.min(12, commit.length()));
  }

  private String slot(int stage, int step) {
    return Digest.sha256((build + "\0" + stage + "\0" + step).getBytes(StandardCharsets.UTF_8))
        .hex();
  }

  private static Optional<Inputs> read(Path file) {
    try {
      JsonNode n = JSON.readTree(file.toFile());
      Map<String, String> parts = new LinkedHashMap<>();
      n.get("parts").fields().forEachRemaining(e -> parts.put(e.getKey(), e.getValue().asText()));
      List<String> trail = new ArrayList<>();
      n.get("trail").forEach(t -> trail.add(t.asText()));
      Digest parent = Digest.parse(n.get("parent").asText());
      return Optional.of(new Inputs(parent, n.get("instruction").asText(), parts, trail, parent));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // absent or damaged: no reason to give, never an error
    }
  }

  private void write(Path file, Inputs inputs) {
    ObjectNode n = JSON.createObjectNode();
    n.put("parent", inputs.parent().toString());
    n.put("instruction", inputs.instruction());
    ObjectNode parts = n.putObject("parts");
    inputs.parts().forEach(parts::put);
    ArrayNode trail = n.putArray("trail");
    inputs.trail().forEach(trail::add);
    try {
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".tmp-", ".json");
      try {
        Files.write(temp, JSON.writeValueAsBytes(n));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      // A hint only: the next miss of this step gives no reason.
    }
  }
}
