package dev.hoist.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a {@code USER} value ({@code name}, {@code uid}, {@code uid:gid}, {@code name:group}) in
 * the image's own /etc/passwd and /etc/group, with Docker's (runc's {@code GetExecUser}) rules: a
 * name must exist; a number need not; supplementary groups come from /etc/group only when no group
 * is given explicitly.
 */
public final class UserResolver {
  private static final long MAX_FILE = 4 << 20;

  record PasswdEntry(String name, int uid, int gid, String home) {}

  record GroupEntry(String name, int gid, List<String> members) {}

  private UserResolver() {}

  /**
   * Resolves {@code spec} in the image {@code view} shows.
   *
   * @throws SandboxException when a user or group name is not in the image
   */
  public static ExecUser resolve(RootfsView view, String spec) throws IOException {
    String userArg = spec;
    String groupArg = "";
    int colon = spec.indexOf(':');
    if (colon >= 0) {
      userArg = spec.substring(0, colon);
      groupArg = spec.substring(colon + 1);
    }
    Optional<Integer> uidArg = number(userArg);
    Optional<Integer> gidArg = number(groupArg);
    List<PasswdEntry> passwd = readPasswd(view);
    Optional<PasswdEntry> match = Optional.empty();
    for (PasswdEntry entry : passwd) {
      boolean matches =
          userArg.isEmpty()
              ? entry.uid() == 0
              : uidArg.map(u -> u == entry.uid()).orElse(entry.name().equals(userArg));
      if (matches) {
        match = Optional.of(entry);
        break;
      }
    }
    int uid = 0;
    int gid = 0;
    String home = "/";
    if (match.isPresent()) {
      uid = match.get().uid();
      gid = match.get().gid();
      home = match.get().home();
    } else if (!userArg.isEmpty()) {
      if (uidArg.isEmpty()) {
        throw new SandboxException(
            "unable to find user "
                + userArg
                + ": no matching entry in the image's /etc/passwd; use a numeric uid or add the"
                + " user");
      }
      uid = uidArg.get();
    }
    List<Integer> groups = new ArrayList<>();
    if (!groupArg.isEmpty() || match.isPresent()) {
      List<GroupEntry> groupFile = readGroup(view);
      if (!groupArg.isEmpty()) {
        Optional<GroupEntry> g = Optional.empty();
        for (GroupEntry entry : groupFile) {
          if (gidArg.map(n -> n == entry.gid()).orElse(entry.name().equals(groupArg))) {
            g = Optional.of(entry);
            break;
          }
        }
        if (g.isPresent()) {
          gid = g.get().gid();
        } else if (gidArg.isPresent()) {
          gid = gidArg.get();
        } else {
          throw new SandboxException(
              "unable to find group "
                  + groupArg
                  + ": no matching entry in the image's /etc/group; use a numeric gid or add the"
                  + " group");
        }
      } else {
        String name = match.get().name();
        for (GroupEntry entry : groupFile) {
          if (entry.members().contains(name) && !groups.contains(entry.gid())) {
            groups.add(entry.gid());
          }
        }
      }
    }
    return new ExecUser(uid, gid, groups, home);
  }

  private static Optional<Integer> number(String text) {
    if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 10) {
      return Optional.empty();
    }
    long value = Long.parseLong(text);
    if (value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("user or group id " + text + " is out of range");
    }
    return Optional.of((int) value);
  }

  static List<PasswdEntry> readPasswd(RootfsView view) throws IOException {
    List<PasswdEntry> entries = new ArrayList<>();
    for (String[] f : read(view, "/etc/passwd")) {
      if (f.length >= 4) {
        Optional<Integer> uid = safeNumber(f[2]);
        Optional<Integer> gid = safeNumber(f[3]);
        if (uid.isPresent() && gid.isPresent()) {
          String home = f.length >= 6 && !f[5].isEmpty() ? f[5] : "/";
          entries.add(new PasswdEntry(f[0], uid.get(), gid.get(), home));
        }
      }
    }
    return entries;
  }

  static List<GroupEntry> readGroup(RootfsView view) throws IOException {
    List<GroupEntry> entries = new ArrayList<>();
    for (String[] f : read(view, "/etc/group")) {
      if (f.length >= 3) {
        Optional<Integer> gid = safeNumber(f[2]);
        if (gid.isPresent()) {
          List<String> members = new ArrayList<>();
          if (f.length >= 4) {
            for (String m : f[3].split(",")) {
              if (!m.isBlank()) {
                members.add(m.strip());
              }
            }
          }
          entries.add(new GroupEntry(f[0], gid.get(), members));
        }
      }
    }
    return entries;
  }

  private static Optional<Integer> safeNumber(String text) {
    try {
      return number(text);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The lines of a file in the image, split on ':'; none when absent or not a regular file. */
  private static List<String[]> read(RootfsView view, String path) throws IOException {
    RootfsView.Resolved resolved = view.resolve(path, true);
    List<String[]> lines = new ArrayList<>();
    if (resolved.real().isEmpty()) {
      return lines;
    }
    Path file = resolved.real().get();
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_FILE) {
      return lines;
    }
    for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        lines.add(line.split(":", -1));
      }
    }
    return lines;
  }
}
