package dev.hoist.builder.copy;

import dev.hoist.runtime.ExecUser;
import dev.hoist.runtime.RootfsView;
import dev.hoist.runtime.UserResolver;
import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The destination image as COPY sees it before the copy: where a destination path really lands
 * (symlinks such as {@code /bin -> usr/bin} followed inside the image), what is already there, and
 * the users in its {@code /etc/passwd}. Scratch has no layers and holds nothing.
 */
final class DestinationView {
  private final Optional<RootfsView> view;

  DestinationView(List<Path> topFirst) {
    this.view = topFirst.isEmpty() ? Optional.empty() : Optional.of(new RootfsView(topFirst));
  }

  /** Where {@code absolute} lands in the image (relative, no leading slash), symlinks followed. */
  String land(String absolute) throws IOException {
    if (view.isEmpty()) {
      return DestPaths.relative(absolute);
    }
    return view.get().resolve(absolute, true).relative();
  }

  /** What the image has at {@code relative}, a path without symlinks in its parents. */
  Optional<FileStat> stat(String relative) throws IOException {
    Optional<Path> real = real(relative);
    return real.isEmpty() ? Optional.empty() : Optional.of(Posix.lstat(real.get()));
  }

  /** Where the image keeps {@code relative} (in one of its layer dirs), if it has it. */
  Optional<Path> real(String relative) throws IOException {
    return view.isEmpty() ? Optional.empty() : view.get().lookup(relative);
  }

  /**
   * Resolves a {@code --chown} value with Docker's rules: names must be in the image's {@code
   * /etc/passwd} or {@code /etc/group}; a user name without a group takes its primary group from
   * /etc/passwd, a uid without a group uses the uid as gid (as BuildKit and Buildah both do).
   */
  int[] owner(String chown, Path emptyDir) throws IOException {
    RootfsView users = view.orElse(new RootfsView(List.of(emptyDir)));
    ExecUser user = UserResolver.resolve(users, chown);
    boolean uidOnly = !chown.isEmpty() && chown.chars().allMatch(Character::isDigit);
    int gid = uidOnly ? user.uid() : user.gid();
    return new int[] {user.uid(), gid};
  }
}
