package dev.hoist.runtime;

import java.io.IOException;
import java.util.Optional;

/**
 * The owner BuildKit gives files its file operations create for a user spec ({@code name}, {@code
 * uid}, {@code uid:gid}, {@code name:group}), e.g. the directories of a WORKDIR made while USER is
 * set. Its rules are laxer than a step's {@link UserResolver}: a number is the uid and also the
 * gid; a name takes both ids from the image's /etc/passwd and is root when it is not there; a group
 * replaces the gid, a number as is, a name from /etc/group, and changes nothing when not there.
 *
 * @param uid user id
 * @param gid group id
 */
public record FileOwner(int uid, int gid) {
  public static final FileOwner ROOT = new FileOwner(0, 0);

  /** Resolves {@code spec} in the image {@code view} shows; the empty spec is root. */
  public static FileOwner resolve(RootfsView view, String spec) throws IOException {
    int colon = spec.indexOf(':');
    String user = colon < 0 ? spec : spec.substring(0, colon);
    FileOwner owner = ROOT;
    Optional<Integer> uid = id(user);
    if (uid.isPresent()) {
      owner = new FileOwner(uid.get(), uid.get());
    } else if (!user.isEmpty()) {
      for (UserResolver.PasswdEntry e : UserResolver.readPasswd(view)) {
        if (e.name().equals(user)) {
          owner = new FileOwner(e.uid(), e.gid());
          break;
        }
      }
    }
    if (colon < 0) {
      return owner;
    }
    String group = spec.substring(colon + 1);
    Optional<Integer> gid = id(group);
    if (gid.isPresent()) {
      return new FileOwner(owner.uid(), gid.get());
    }
    for (UserResolver.GroupEntry e : UserResolver.readGroup(view)) {
      if (e.name().equals(group)) {
        return new FileOwner(owner.uid(), e.gid());
      }
    }
    return owner;
  }

  /** A numeric id as BuildKit's llb reads one: a 32-bit decimal, or the name root. */
  private static Optional<Integer> id(String text) {
    if (text.equals("root")) {
      return Optional.of(0);
    }
    if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    long v = Long.parseLong(text);
    return v > Integer.MAX_VALUE ? Optional.empty() : Optional.of((int) v);
  }
}
