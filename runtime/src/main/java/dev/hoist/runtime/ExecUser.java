package dev.hoist.runtime;

import java.util.List;

/**
 * A user resolved in the image: the ids the step runs with.
 *
 * @param uid user id
 * @param gid primary group id
 * @param supplementaryGroups extra group ids (set with setgroups)
 * @param home home directory from /etc/passwd, "/" when unknown
 */
public record ExecUser(int uid, int gid, List<Integer> supplementaryGroups, String home) {
  public ExecUser {
    supplementaryGroups = List.copyOf(supplementaryGroups);
  }
}
