package dev.hoist.testkit.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The canonical text dump of an image that the differential harness compares: one line per key of
 * the config's {@code config} object (canonical JSON), os, architecture, the layer count, the
 * history's empty-layer pattern, then one line per path of the file tree that differs from the base
 * image's tree (sorted). No mtimes, no digests of tars: two tools that make the same image in
 * different bytes give the same dump. bench/compat/README.md describes the format.
 */
public final class ImageDump {
  /** Keys of {@code config} that say nothing about the image's behaviour on Linux. */
  static final Set<String> IGNORED_CONFIG_KEYS =
      Set.of(
          "Hostname",
          "Domainname",
          "AttachStdin",
          "AttachStdout",
          "AttachStderr",
          "Tty",
          "OpenStdin",
          "StdinOnce",
          "Image",
          "ArgsEscaped",
          "NetworkDisabled",
          "MacAddress");

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private ImageDump() {}

  /** The dump of {@code image} against {@code base} (absent: every path is shown). */
  public static List<String> of(Path image, Optional<Path> base, Normalisation normalisation)
      throws IOException {
    ImageFiles files = ImageFiles.read(image);
    SortedMap<String, FileNode> baseTree = new TreeMap<>();
    if (base.isPresent()) {
      ImageFiles baseFiles = ImageFiles.read(base.get());
      if (startsWith(files.config(), baseFiles.config())) {
        baseTree.putAll(FileTree.of(baseFiles.layers()).nodes());
      }
    }
    SortedMap<String, String> config = configLines(files.config());
    SortedMap<String, FileNode> tree = new TreeMap<>(FileTree.of(files.layers()).nodes());
    normalisation.apply(config, tree, baseTree);
    List<String> out = new ArrayList<>();
    out.add(DumpLines.STATUS_BUILT);
    config.forEach((k, v) -> out.add(k + "=" + v));
    out.addAll(fileLines(tree, baseTree));
    return out;
  }

  /**
   * Whether the image's layers begin with the base's (same diff ids): an image of a stage FROM
   * scratch, or of a tool that rewrote the base layer, is dumped whole.
   */
  private static boolean startsWith(JsonNode image, JsonNode base) {
    JsonNode ours = image.path("rootfs").path("diff_ids");
    JsonNode theirs = base.path("rootfs").path("diff_ids");
    if (ours.size() < theirs.size()) {
      return false;
    }
    for (int i = 0; i < theirs.size(); i++) {
      if (!ours.get(i).equals(theirs.get(i))) {
        return false;
      }
    }
    return true;
  }

  static SortedMap<String, String> configLines(JsonNode image) throws IOException {
    SortedMap<String, String> lines = new TreeMap<>();
    JsonNode config = image.path("config");
    for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!IGNORED_CONFIG_KEYS.contains(field.getKey())
          && !unset(field.getValue())
          && !isDefaultWorkingDir(field.getKey(), field.getValue())) {
        lines.put("config." + field.getKey(), canonical(field.getValue()));
      }
    }
    lines.put("os", image.path("os").asText());
    lines.put("architecture", image.path("architecture").asText());
    if (image.hasNonNull("variant")) {
      lines.put("variant", image.path("variant").asText());
    }
    lines.put("layers", Integer.toString(image.path("rootfs").path("diff_ids").size()));
    StringBuilder history = new StringBuilder();
    for (JsonNode h : image.path("history")) {
      history.append(h.path("empty_layer").asBoolean(false) ? 'E' : 'L');
    }
    lines.put("history", history.toString());
    return lines;
  }

  /**
   * WorkingDir "/" is what a runtime uses when none is set; BuildKit writes it for a stage FROM
   * scratch, Buildah leaves it out.
   */
  private static boolean isDefaultWorkingDir(String key, JsonNode v) {
    return key.equals("WorkingDir") && v.asText().equals("/");
  }

  /** Absent, null, "", [] and {} all mean "not set" (buildah writes [] for no Entrypoint). */
  private static boolean unset(JsonNode v) {
    return v.isNull()
        || v.isMissingNode()
        || (v.isTextual() && v.asText().isEmpty())
        || (v.isContainerNode() && v.isEmpty());
  }

  private static String canonical(JsonNode v) throws IOException {
    Object plain = CANONICAL.treeToValue(v, Object.class);
    return CANONICAL.writeValueAsString(plain);
  }

  private static List<String> fileLines(
      SortedMap<String, FileNode> tree, SortedMap<String, FileNode> baseTree) {
    Map<String, String> finalLines = describeAll(tree);
    Map<String, String> baseLines = describeAll(baseTree);
    SortedMap<String, String> out = new TreeMap<>();
    finalLines.forEach(
        (path, line) -> {
          if (!line.equals(baseLines.get(path))) {
            out.put(path, line);
          }
        });
    baseLines.keySet().stream()
        .filter(p -> !finalLines.containsKey(p))
        .forEach(p -> out.put(p, "removed"));
    List<String> lines = new ArrayList<>();
    out.forEach((path, line) -> lines.add("/" + path + " " + line));
    return lines;
  }

  /** Each path's description, with its hard link group (the group's first path) when it has one. */
  private static Map<String, String> describeAll(SortedMap<String, FileNode> tree) {
    Map<Long, String> firstPath = new HashMap<>();
    Map<Long, Integer> count = new HashMap<>();
    tree.forEach(
        (path, node) -> {
          firstPath.putIfAbsent(node.inode(), path);
          count.merge(node.inode(), 1, Integer::sum);
        });
    Map<String, String> out = new HashMap<>();
    tree.forEach(
        (path, node) -> {
          String line = node.describe();
          if (count.get(node.inode()) > 1) {
            line += " hardlink=/" + firstPath.get(node.inode());
          }
          out.put(path, line);
        });
    return out;
  }

  /** {@code v} as canonical JSON: no spaces, object keys sorted. */
  static String canonicalJson(Object v) throws IOException {
    return CANONICAL.writeValueAsString(v);
  }

  static <T> T parseJson(String json, Class<T> type) throws IOException {
    return CANONICAL.readValue(json, type);
  }
}
