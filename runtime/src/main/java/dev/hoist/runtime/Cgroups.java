package dev.hoist.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resource limits for the chroot backend: one child cgroup {@code hoist-<id>} per step under
 * hoist's own cgroup, in each hierarchy that has the controller (cgroup v1 controllers, else the v2
 * unified hierarchy; this host is hybrid). The set-up script moves the step in before exec.
 */
final class Cgroups {
  private static final String PREFIX = "hoist-";
  private final Map<String, Path> v1 = new LinkedHashMap<>();
  private final Optional<Path> v2;

  Cgroups() throws IOException {
    Map<String, Path> mounts = new LinkedHashMap<>();
    Path v2Mount = null;
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] halves = line.split(" - ", 2);
      if (halves.length < 2) {
        continue;
      }
      String[] left = halves[0].split(" ");
      String[] right = halves[1].split(" ");
      if (right[0].equals("cgroup") && right.length >= 3) {
        for (String opt : right[2].split(",")) {
          if (List.of("memory", "pids", "cpu").contains(opt)) {
            mounts.put(opt, Path.of(left[4]));
          }
        }
      } else if (right[0].equals("cgroup2")) {
        v2Mount = Path.of(left[4]);
      }
    }
    Map<String, String> own = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      String[] f = line.split(":", 3);
      if (f.length == 3) {
        for (String c : f[1].split(",")) {
          own.put(c, f[2]);
        }
      }
    }
    for (var e : mounts.entrySet()) {
      String path = own.getOrDefault(e.getKey(), "/");
      v1.put(e.getKey(), e.getValue().resolve(path.substring(1)));
    }
    Optional<Path> unified = Optional.empty();
    if (v2Mount != null && own.containsKey("")) {
      unified = Optional.of(v2Mount.resolve(own.get("").substring(1)));
    }
    this.v2 = unified;
  }

  /** Creates the step's cgroups with {@code limits} set; none when there are no limits. */
  List<Path> create(String id, Resources limits) throws IOException {
    if (limits.isEmpty()) {
      return List.of();
    }
    Map<Path, List<String[]>> writes = new LinkedHashMap<>();
    if (limits.memoryBytes().isPresent()) {
      long m = limits.memoryBytes().getAsLong();
      controller("memory", id, "--memory", writes)
          .add(
              v1.containsKey("memory")
                  ? new String[] {"memory.limit_in_bytes", Long.toString(m)}
                  : new String[] {"memory.max", Long.toString(m)});
      if (!v1.containsKey("memory")) {
        controller("memory", id, "--memory", writes).add(new String[] {"memory.swap.max", "0"});
      } else if (Files.exists(v1.get("memory").resolve("memory.memsw.limit_in_bytes"))) {
        // With swap accounting, memory+swap gets the same limit: no swapping past --memory.
        controller("memory", id, "--memory", writes)
            .add(new String[] {"memory.memsw.limit_in_bytes", Long.toString(m)});
      }
    }
    if (limits.pidsLimit().isPresent()) {
      controller("pids", id, "--pids-limit", writes)
          .add(new String[] {"pids.max", Long.toString(limits.pidsLimit().getAsLong())});
    }
    if (limits.cpus().isPresent()) {
      long quota = limits.cpuQuotaMicros();
      if (v1.containsKey("cpu")) {
        List<String[]> w = controller("cpu", id, "--cpus", writes);
        w.add(new String[] {"cpu.cfs_period_us", Long.toString(Resources.CPU_PERIOD_MICROS)});
        w.add(new String[] {"cpu.cfs_quota_us", Long.toString(quota)});
      } else {
        controller("cpu", id, "--cpus", writes)
            .add(new String[] {"cpu.max", quota + " " + Resources.CPU_PERIOD_MICROS});
      }
    }
    List<Path> dirs = new ArrayList<>();
    try {
      for (var e : writes.entrySet()) {
        if (!dirs.contains(e.getKey())) {
          Files.createDirectories(e.getKey());
          dirs.add(e.getKey());
        }
        for (String[] w : e.getValue()) {
          Files.writeString(e.getKey().resolve(w[0]), w[1], StandardCharsets.US_ASCII);
        }
      }
    } catch (IOException e) {
      remove(dirs);
      throw new SandboxException(
          "cannot set resource limits in " + writes.keySet() + ": " + e.getMessage(), e);
    }
    return dirs;
  }

  private List<String[]> controller(
      String name, String id, String flag, Map<Path, List<String[]>> writes)
      throws SandboxException {
    Path parent = v1.get(name);
    if (parent == null) {
      if (v2.isEmpty() || !controllers(v2.get()).contains(name)) {
        throw new SandboxException(
            flag + " needs the " + name + " cgroup controller, which this host does not offer");
      }
      parent = v2.get();
    }
    return writes.computeIfAbsent(parent.resolve(PREFIX + id), k -> new ArrayList<>());
  }

  private static List<String> controllers(Path dir) {
    try {
      return List.of(Files.readString(dir.resolve("cgroup.controllers")).strip().split(" "));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Removes the step's cgroups; its processes are gone, but the kernel may lag a moment. */
  void remove(List<Path> dirs) {
    for (Path dir : dirs) {
      for (int attempt = 0; attempt < 50; attempt++) {
        try {
          Files.deleteIfExists(dir);
          break;
        } catch (IOException e) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
    }
  }

  /** Removes the cgroups of a run dir left by a killed hoist. */
  void removeStale(String id) {
    List<Path> dirs = new ArrayList<>();
    for (Path parent : v1.values()) {
      dirs.add(parent.resolve(PREFIX + id));
    }
    v2.ifPresent(p -> dirs.add(p.resolve(PREFIX + id)));
    for (Path d : dirs) {
      try {
        Files.deleteIfExists(d);
      } catch (IOException e) {
        // Still busy or gone: the next start tries again.
      }
    }
  }

  /** The cgroup dirs named for stale ids under hoist's own cgroups (for tests and diagnostics). */
  List<Path> existing() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path parent : v1.values()) {
      if (Files.isDirectory(parent)) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, PREFIX + "*")) {
          s.forEach(out::add);
        }
      }
    }
    return out;
  }
}
