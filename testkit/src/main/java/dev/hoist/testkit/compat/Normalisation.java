package dev.hoist.testkit.compat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a dump leaves out for one tool: nothing for BuildKit and hoist; for Buildah, the artefacts
 * it leaves and BuildKit does not (the documented list in bench/compat/README.md).
 */
public enum Normalisation {
  NONE {
    @Override
    void apply(
        SortedMap<String, String> config,
        SortedMap<String, FileNode> tree,
        SortedMap<String, FileNode> base) {}
  },

  BUILDAH {
    /** Empty files Buildah bind-mounts over in RUN steps and leaves behind. */
    private static final Set<String> MOUNT_FILES =
        Set.of("etc/hosts", "etc/hostname", "etc/resolv.conf");

    /**
     * The mount point /run, which its RUN steps leave empty when the base lacked it. BuildKit
     * leaves /dev, /proc, /sys and /etc too, so those are compared.
     */
    private static final List<String> MOUNT_DIRS = List.of("run");

    private static final String VERSION_LABEL = "io.buildah.version";

    @Override
    void apply(
        SortedMap<String, String> config,
        SortedMap<String, FileNode> tree,
        SortedMap<String, FileNode> base)
        throws IOException {
      for (String path : MOUNT_FILES) {
        FileNode node = tree.get(path);
        if (node != null && !base.containsKey(path) && node.isEmptyRegularFile()) {
          tree.remove(path);
        }
      }
      for (String path : MOUNT_DIRS) {
        removeNewEmptyDirectory(path, tree, base);
      }
      if (config.containsKey("config.Volumes")) {
        // Buildah creates each VOLUME's directory in the image; BuildKit only records it.
        for (Object volume :
            ImageDump.parseJson(config.get("config.Volumes"), Map.class).keySet()) {
          removeNewEmptyDirectory(TreePaths.normalise(volume.toString()), tree, base);
        }
      }
      if (config.containsKey("config.Labels")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> labels =
            new TreeMap<>(ImageDump.parseJson(config.get("config.Labels"), Map.class));
        labels.remove(VERSION_LABEL);
        if (labels.isEmpty()) {
          config.remove("config.Labels");
        } else {
          config.put("config.Labels", ImageDump.canonicalJson(labels));
        }
      }
    }

    private void removeNewEmptyDirectory(
        String path, SortedMap<String, FileNode> tree, SortedMap<String, FileNode> base) {
      FileNode node = tree.get(path);
      boolean empty = tree.keySet().stream().noneMatch(p -> TreePaths.isBelow(p, path));
      if (node != null && node.isDirectory() && !base.containsKey(path) && empty) {
        tree.remove(path);
      }
    }
  };

  abstract void apply(
      SortedMap<String, String> config,
      SortedMap<String, FileNode> tree,
      SortedMap<String, FileNode> base)
      throws IOException;
}
