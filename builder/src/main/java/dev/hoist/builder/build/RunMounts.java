package dev.hoist.builder.build;

import dev.hoist.builder.context.GoBool;
import dev.hoist.builder.ssh.AgentServer;
import dev.hoist.builder.ssh.SshSource;
import dev.hoist.runtime.Mount;
import dev.hoist.store.CacheMounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code RUN --mount=...}: cache dirs kept between builds, secrets, SSH agents, tmpfs and binds of
 * the build context or of a stage or image. A cache mount's directory is named by a digest of its
 * id, so no id (not even {@code ../../etc}) can point outside the cache. A bind is read-only unless
 * {@code rw}; then, as in BuildKit, the step writes to a copy-on-write view whose writes are
 * discarded after the step: they reach neither the source nor the layer, nor another mount of the
 * same source.
 */
final class RunMounts {
  private RunMounts() {}

  /**
   * What a RUN's mounts need: the sandbox mounts, the temp files to delete afterwards, and the
   * targets of the read-only binds (to tell a user whose step failed writing to one about {@code
   * rw}).
   */
  record Prepared(
      List<Mount> mounts,
      List<Path> cleanup,
      List<String> readOnlyBinds,
      List<String> env,
      List<AgentServer> agents) {}

  /** Where BuildKit puts the N-th ssh mount of a step that names no target. */
  static final String SSH_TARGET = "/run/buildkit/ssh_agent.";

  /** The keys BuildKit takes on a bind mount ({@code id} is accepted and has no effect there). */
  private static final Set<String> BIND_KEYS =
      Set.of("type from source src target dst destination ro readonly rw readwrite id".split(" "));

  /** Gives the root filesystem of the stage or image a {@code from=} names, as a directory. */
  @FunctionalInterface
  interface FromResolver {
    Path rootfs(String from) throws IOException;
  }

  static Prepared prepare(
      List<String> specs,
      String location,
      Path cacheRoot,
      Optional<Path> context,
      Map<String, BuildRequest.Secret> secrets,
      Map<String, SshSource> ssh,
      Path tempDir,
      FromResolver fromResolver)
      throws IOException {
    List<Mount> mounts = new ArrayList<>();
    List<Path> cleanup = new ArrayList<>();
    List<String> readOnlyBinds = new ArrayList<>();
    List<String> env = new ArrayList<>();
    List<AgentServer> agents = new ArrayList<>();
    int sshCount = 0;
    try {
      for (String spec : specs) {
        Map<String, String> kv = parse(spec, location);
        String type = kv.getOrDefault("type", "bind");
        String target = kv.getOrDefault("target", kv.getOrDefault("dst", kv.get("destination")));
        switch (type) {
          case "cache" -> {
            require(target, "target", spec, location);
            // from= and source= are ignored for cache mounts: the directory is always the store's
            // own, named by a digest of the id, never a path taken from the id or another stage.
            String id = kv.getOrDefault("id", target);
            int mode = number(kv, "mode", "755", 8, 07777, spec, location);
            int uid = number(kv, "uid", "0", 10, Integer.MAX_VALUE, spec, location);
            int gid = number(kv, "gid", "0", 10, Integer.MAX_VALUE, spec, location);
            Path dir = CacheMounts.dir(cacheRoot, id);
            // Held until this process ends, so `hoist prune --cache` leaves the directory alone.
            CacheMounts.hold(dir);
            if (!Files.isDirectory(dir)) {
              Files.createDirectories(dir);
              Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(perms(mode)));
              Files.setAttribute(dir, "unix:uid", uid);
              Files.setAttribute(dir, "unix:gid", gid);
            }
            mounts.add(Mount.bind(dir, target, false));
          }
          case "secret" -> {
            String id =
                kv.getOrDefault(
                    "id", target == null ? null : Path.of(target).getFileName().toString());
            require(id, "id", spec, location);
            String at = target != null ? target : "/run/secrets/" + id;
            BuildRequest.Secret secret = secrets.get(id);
            if (secret == null) {
              if (Boolean.parseBoolean(kv.getOrDefault("required", "false"))) {
                throw new BuildException(
                    location
                        + ": secret '"
                        + id
                        + "' is required: pass --secret id="
                        + id
                        + ",src=FILE");
              }
              continue;
            }
            Path file = secret.file().orElse(null);
            if (file == null) {
              file = Files.createTempFile(tempDir, "secret-", "");
              Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
              Files.write(file, secret.value().orElseThrow());
              cleanup.add(file);
            }
            mounts.add(Mount.bind(file, at, true));
          }
          case "ssh" -> {
            String at = target != null ? target : SSH_TARGET + sshCount;
            sshCount++;
            if (env.isEmpty()) {
              // As BuildKit: the first ssh mount is the agent, whether or not its id was given.
              env.add("SSH_AUTH_SOCK=" + at);
            }
            String id = kv.getOrDefault("id", "default");
            int mode = number(kv, "mode", "600", 8, 07777, spec, location);
            int uid = number(kv, "uid", "0", 10, Integer.MAX_VALUE, spec, location);
            int gid = number(kv, "gid", "0", 10, Integer.MAX_VALUE, spec, location);
            SshSource source = ssh.get(id);
            if (source == null) {
              if (bool("required", kv.getOrDefault("required", "false"), spec, location)) {
                throw new BuildException(
                    location
                        + ": ssh agent '"
                        + id
                        + "' is required: pass --ssh "
                        + id
                        + (id.equals("default") ? "" : "=SOCKET_OR_KEY_FILE"));
              }
              continue;
            }
            Path dir = Files.createTempDirectory(tempDir, "ssh-");
            cleanup.add(dir);
            AgentServer agent = AgentServer.start(source, dir.resolve("agent.sock"));
            agents.add(agent);
            Path socket = agent.socket();
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(perms(mode)));
            Files.setAttribute(socket, "unix:uid", uid);
            Files.setAttribute(socket, "unix:gid", gid);
            mounts.add(Mount.bind(socket, at, false));
          }
          case "tmpfs" -> {
            require(target, "target", spec, location);
            mounts.add(Mount.tmpfs(target));
          }
          case "bind" -> {
            require(target, "target", spec, location);
            boolean writable = writable(kv, spec, location);
            Path root;
            if (kv.containsKey("from")) {
              root = fromResolver.rootfs(kv.get("from"));
            } else {
              root =
                  context.orElseThrow(
                      () ->
                          new BuildException(
                              location + ": RUN --mount=type=bind needs a build context"));
            }
            Path source =
                boundSource(root, kv.getOrDefault("source", kv.getOrDefault("src", ".")), location);
            if (writable) {
              mounts.add(Mount.overlay(source, target));
            } else {
              mounts.add(Mount.bind(source, target, true));
              readOnlyBinds.add(target);
            }
          }
          default ->
              throw new BuildException(
                  location
                      + ": unknown mount type '"
                      + type
                      + "': use cache, secret, ssh, tmpfs or bind");
        }
      }
    } catch (IOException | RuntimeException e) {
      for (AgentServer a : agents) {
        a.close();
      }
      throw e;
    }
    return new Prepared(mounts, cleanup, readOnlyBinds, env, agents);
  }

  /**
   * Whether a bind mount is writable: BuildKit's {@code rw} / {@code readwrite} and {@code ro} /
   * {@code readonly}, bare or {@code =true|false}, the last one written winning. Any key BuildKit
   * does not take on a bind is one line naming it.
   */
  private static boolean writable(Map<String, String> kv, String spec, String location)
      throws BuildException {
    boolean writable = false;
    for (Map.Entry<String, String> e : kv.entrySet()) {
      String key = e.getKey();
      switch (key) {
        case "rw", "readwrite" -> writable = bool(key, e.getValue(), spec, location);
        case "ro", "readonly" -> writable = !bool(key, e.getValue(), spec, location);
        default -> {
          if (!BIND_KEYS.contains(key)) {
            throw new BuildException(
                location
                    + ": --mount="
                    + spec
                    + ": unknown bind mount option '"
                    + key
                    + "'; use target, source, from, rw or ro");
          }
        }
      }
    }
    return writable;
  }

  /** A boolean as BuildKit reads one. */
  private static boolean bool(String key, String value, String spec, String location)
      throws BuildException {
    return GoBool.parse(value)
        .orElseThrow(
            () ->
                new BuildException(
                    location
                        + ": --mount="
                        + spec
                        + ": "
                        + key
                        + "="
                        + value
                        + " is not true or false"));
  }

  /**
   * A hint for a RUN that failed: when its output says a write hit a read-only file system and it
   * has read-only binds, that {@code rw} makes them writable; else empty.
   */
  static String readOnlyHint(Prepared prepared, String output) {
    if (prepared.readOnlyBinds().isEmpty() || !output.contains("Read-only file system")) {
      return "";
    }
    return "; bind mounts are read-only ("
        + String.join(", ", prepared.readOnlyBinds())
        + "): add rw to the --mount to write there (the writes are discarded after the step)";
  }

  /**
   * The real path of a bind mount's {@code source} below {@code root}. A bind mount follows
   * symlinks, so the real path must stay inside the root, or a link in the context (or an image)
   * would mount a host directory into the step.
   */
  static Path boundSource(Path root, String relative, String location) throws IOException {
    Path source = root.resolve(relative.startsWith("/") ? "." + relative : relative);
    if (!Files.exists(source)) {
      throw new BuildException(location + ": bind mount source '" + relative + "' does not exist");
    }
    Path real = source.toRealPath();
    if (!real.startsWith(root.toRealPath())) {
      throw new BuildException(
          location + ": bind mount source '" + relative + "' leaves its root; refusing");
    }
    return real;
  }

  private static Map<String, String> parse(String spec, String location) throws BuildException {
    Map<String, String> kv = CsvOptions.parse(spec, "true");
    if (kv.isEmpty()) {
      throw new BuildException(location + ": empty --mount");
    }
    return kv;
  }

  private static void require(String value, String field, String spec, String location)
      throws BuildException {
    if (value == null || value.isEmpty()) {
      throw new BuildException(location + ": --mount=" + spec + " needs " + field + "=");
    }
  }

  /**
   * A numeric option ({@code uid}, {@code gid}, {@code mode}) in {@code radix}, between 0 and
   * {@code max}; anything else is one line naming the option and the mount.
   */
  private static int number(
      Map<String, String> kv,
      String key,
      String fallback,
      int radix,
      int max,
      String spec,
      String location)
      throws BuildException {
    String text = kv.getOrDefault(key, fallback);
    try {
      int value = Integer.parseInt(text, radix);
      if (value >= 0 && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    String expected = radix == 8 ? "an octal mode such as 0755" : "a number from 0 to " + max;
    throw new BuildException(
        location + ": --mount=" + spec + ": " + key + "=" + text + " is not " + expected);
  }

  private static String perms(int mode) {
    StringBuilder sb = new StringBuilder();
    String rwx = "rwx";
    for (int i = 8; i >= 0; i--) {
      sb.append((mode & (1 << i)) != 0 ? rwx.charAt(2 - i % 3) : '-');
    }
    return sb.toString();
  }
}
