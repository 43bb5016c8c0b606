package dev.hoist.builder.copy;

import dev.hoist.store.FileTrees;
import dev.hoist.store.posix.Posix;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fetches a {@link GitRef} with the {@code git} command, as BuildKit's git source does: the ref is
 * resolved to a commit with {@code ls-remote} (so that a cached build fetches nothing), then that
 * one commit is fetched shallow into an empty repository and checked out. The tree comes out the
 * same on every machine: modes 0644 / 0755 as git records them whatever the umask, every mtime the
 * commit's time, the {@code .git} directory removed unless kept.
 */
public final class GitCheckout {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final Set<PosixFilePermission> DIR_OR_EXEC =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");

  private GitCheckout() {}

  /**
   * The commit {@code ref} names now: a full commit id as is; else, in the order git itself reads a
   * name, {@code refs/NAME}, a tag (an annotated tag's commit), then a branch.
   *
   * @throws CopyException one line naming the repository and the ref when the ref does not exist or
   *     the repository cannot be reached
   */
  public static String resolve(GitRef ref, String location)
      throws IOException, InterruptedException {
    String name = ref.ref().isEmpty() ? "HEAD" : ref.ref();
    if (COMMIT.matcher(name).matches()) {
      return name;
    }
    String listing = git(null, location, ref, "ls-remote", "--", ref.remote(), name, name + "^{}");
    List<String> order =
        name.equals("HEAD")
            ? List.of("HEAD")
            : List.of(
                name + "^{}",
                name,
                "refs/" + name + "^{}",
                "refs/" + name,
                "refs/tags/" + name + "^{}",
                "refs/tags/" + name,
                "refs/heads/" + name);
    for (String wanted : order) {
      for (String line : listing.split("\n")) {
        String[] cols = line.split("\t");
        if (cols.length == 2 && cols[1].equals(wanted) && COMMIT.matcher(cols[0]).matches()) {
          return cols[0];
        }
      }
    }
    throw new CopyException(
        location
            + ": ADD "
            + ref.display()
            + ": the repository has no branch or tag \""
            + name
            + "\"; check the ref (after #, or in ?ref=, ?tag=, ?branch=; a commit must be"
            + " written in full, 40 hex digits)");
  }

  /**
   * Checks {@code commit} out into {@code dir} (an empty directory) and returns the directory whose
   * contents the ADD copies: {@code dir} or its subdir.
   */
  public static Path checkout(
      GitRef ref, String commit, boolean keepGitDir, Path dir, String location)
      throws IOException, InterruptedException {
    git(dir, location, ref, "init", "-q");
    // One commit, shallow; a server that does not serve a commit by id (git's dumb HTTP, old
    // servers) gets the named ref fetched in full instead.
    try {
      git(dir, location, ref, "fetch", "-q", "--depth=1", "--no-tags", "--", ref.remote(), commit);
    } catch (CopyException shallowRefused) {
      String name = ref.ref().isEmpty() ? "HEAD" : ref.ref();
      git(dir, location, ref, "fetch", "-q", "--no-tags", "--", ref.remote(), name);
    }
    git(dir, location, ref, "-c", "advice.detachedHead=false", "checkout", "-q", commit);
    if (ref.submodules() && Files.exists(dir.resolve(".gitmodules"))) {
      git(dir, location, ref, "submodule", "update", "-q", "--init", "--recursive", "--depth=1");
    }
    long seconds =
        Long.parseLong(git(dir, location, ref, "show", "-s", "--format=%ct", commit).strip());
    if (keepGitDir) {
      // As BuildKit keeps it: the remote under its usual name, without credentials.
      git(dir, location, ref, "remote", "add", "origin", ref.redactedRemote());
    } else {
      FileTrees.deleteRecursively(dir.resolve(".git"));
    }
    Path root = dir;
    // BuildKit reads subdir=/docs as docs: the directory is always inside the checkout.
    String subdir = ref.subdir().replaceFirst("^/+", "");
    if (!subdir.isEmpty()) {
      root = dir.resolve(subdir).normalize();
      if (!root.startsWith(dir) || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
        throw new CopyException(
            location
                + ": ADD "
                + ref.display()
                + ": the commit has no directory \""
                + ref.subdir()
                + "\"; check the path (after : in the fragment, or in ?subdir=)");
      }
    }
    normalise(dir, Instant.ofEpochSecond(seconds));
    return root;
  }

  /** Modes as git records them (0644 or 0755) and every mtime the commit's time. */
  private static void normalise(Path dir, Instant time) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(dir)) {
      all = walk.toList();
    }
    // Deepest first, so that setting a file's time does not change its directory's afterwards.
    for (int i = all.size() - 1; i >= 0; i--) {
      Path p = all.get(i);
      if (!Files.isSymbolicLink(p)) {
        boolean exec =
            Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                || Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)
                    .contains(PosixFilePermission.OWNER_EXECUTE);
        Files.setPosixFilePermissions(p, exec ? DIR_OR_EXEC : FILE);
      }
      Posix.lutimes(p, time, time);
    }
  }

  /**
   * Runs {@code git ARGS} in {@code dir} (or in / for null) with no terminal to ask a password on,
   * and returns its stdout. Interrupting the thread kills git.
   */
  private static String git(Path dir, String location, GitRef ref, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.directory(dir == null ? new File("/") : dir.toFile());
    Map<String, String> env = pb.environment();
    env.put("GIT_TERMINAL_PROMPT", "0");
    // Only network transports: no ext:: (runs a command) or file:// from a submodule's URL.
    env.put("GIT_ALLOW_PROTOCOL", "git:http:https:ssh");
    env.putIfAbsent("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    pb.redirectInput(new File("/dev/null"));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new CopyException(
          location
              + ": ADD "
              + ref.display()
              + ": cannot run git ("
              + e.getMessage()
              + "); install git (apt-get install git)",
          e);
    }
    try {
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();
      Thread outPump = pump(process.getInputStream(), stdout);
      Thread errPump = pump(process.getErrorStream(), stderr);
      int status = process.waitFor(); // the one wait an interrupt ends (git is then killed)
      outPump.join();
      errPump.join();
      if (status != 0) {
        String why =
            stderr
                .toString(StandardCharsets.UTF_8)
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .reduce((a, b) -> b)
                .orElse("exit status " + status);
        throw new CopyException(
            location
                + ": ADD "
                + ref.display()
                + ": git "
                + verb(args)
                + " failed: "
                + GitRef.redact(why));
      }
      return stdout.toString(StandardCharsets.UTF_8);
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
  }

  private static String verb(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-c")) {
        i++;
      } else if (!args[i].startsWith("-")) {
        return args[i];
      }
    }
    return "";
  }

  private static Thread pump(InputStream in, ByteArrayOutputStream to) {
    Thread t =
        new Thread(
            () -> {
              try (in) {
                in.transferTo(to);
              } catch (IOException ignored) {
                // git was killed; its exit status says what happened
              }
            },
            "hoist-git-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
