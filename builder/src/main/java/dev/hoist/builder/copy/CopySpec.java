package dev.hoist.builder.copy;

import dev.hoist.builder.dockerfile.Heredoc;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One COPY or ADD, with its words already expanded by the planner.
 *
 * @param from where the files are read
 * @param sources the sources as written: paths or {@code filepath.Match} patterns relative to the
 *     source root, or (ADD) URLs
 * @param destination as written: absolute or relative to {@code workdir}; a trailing {@code /}
 *     makes it a directory
 * @param workdir the stage's WORKDIR ("/" by default)
 * @param chown {@code user[:group]}, names or ids, resolved in the destination image
 * @param chmod an octal mode (e.g. {@code 0755}) for every file and directory copied
 * @param parents {@code --parents}: keep each source's path relative to the source root (or to a
 *     {@code /./} pivot in it)
 * @param excludes {@code --exclude} patterns, matched against paths relative to each source
 * @param heredocs {@code COPY <<EOF} files: the delimiter names the file, the body is its content
 * @param add ADD semantics: local tar archives are extracted, URLs are fetched
 * @param checksum ADD {@code --checksum=sha256:...} that a fetched URL must match
 * @param unpack ADD {@code --unpack}: absent, local tar archives are extracted and fetched ones are
 *     not; true or false decides for both
 * @param destinationLayers the destination image's layer dirs, top first (empty for scratch)
 * @param location "Dockerfile:12", the prefix of every error message
 */
public record CopySpec(
    FileSource from,
    List<String> sources,
    String destination,
    String workdir,
    Optional<String> chown,
    Optional<String> chmod,
    boolean parents,
    List<String> excludes,
    List<Heredoc> heredocs,
    boolean add,
    Optional<String> checksum,
    Optional<Boolean> unpack,
    List<Path> destinationLayers,
    String location) {
  public CopySpec {
    Objects.requireNonNull(from, "from");
    sources = List.copyOf(sources);
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(workdir, "workdir");
    Objects.requireNonNull(chown, "chown");
    Objects.requireNonNull(chmod, "chmod");
    excludes = List.copyOf(excludes);
    heredocs = List.copyOf(heredocs);
    Objects.requireNonNull(checksum, "checksum");
    Objects.requireNonNull(unpack, "unpack");
    destinationLayers = List.copyOf(destinationLayers);
    Objects.requireNonNull(location, "location");
  }

  /**
   * A plain COPY of {@code source} from {@code from} to {@code /}, no flags: what reading a tree as
   * it is needs (a bind mount's inputs, a local named context used as a base).
   */
  public static CopySpec reading(FileSource from, String source, String location) {
    return new CopySpec(
        from,
        List.of(source),
        "/",
        "/",
        Optional.empty(),
        Optional.empty(),
        false,
        List.of(),
        List.of(),
        false,
        Optional.empty(),
        Optional.empty(),
        List.of(),
        location);
  }

  /** Whether a local tar archive is extracted rather than copied. */
  boolean extractsLocalArchives() {
    return add && unpack.orElse(true);
  }

  /** Whether a fetched tar archive is extracted rather than written as a file. */
  boolean extractsFetchedArchives() {
    return add && unpack.orElse(false);
  }

  /** "COPY" or "ADD", as error messages name the instruction. */
  String keyword() {
    return add ? "ADD" : "COPY";
  }
}
