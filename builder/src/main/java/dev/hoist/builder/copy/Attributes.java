package dev.hoist.builder.copy;

import java.util.Optional;

/**
 * The ownership and mode rules of one COPY: {@code --chown} owns everything copied and every
 * directory created; without it, files from the build context belong to 0:0 while files from a
 * stage or image keep their owners (as BuildKit does); {@code --chmod} sets or changes the
 * permission bits of what is copied.
 */
record Attributes(Optional<int[]> chown, Optional<ModeChange> chmod, boolean fromContext) {
  int uid(SourceNode node) {
    return chown.map(o -> o[0]).orElse(fromContext ? 0 : node.stat().uid());
  }

  int gid(SourceNode node) {
    return chown.map(o -> o[1]).orElse(fromContext ? 0 : node.stat().gid());
  }

  int mode(SourceNode node) {
    int own = node.stat().permissions();
    return chmod.map(c -> c.apply(own, node.stat().isDirectory())).orElse(own);
  }

  /** The mode of a file ADD or a heredoc writes, whose own mode is {@code own}. */
  int newFileMode(int own) {
    return chmod.map(c -> c.apply(own, false)).orElse(own);
  }

  /** The owner of a directory COPY creates: the --chown user, else root. */
  int createdUid() {
    return chown.map(o -> o[0]).orElse(0);
  }

  int createdGid() {
    return chown.map(o -> o[1]).orElse(0);
  }
}
