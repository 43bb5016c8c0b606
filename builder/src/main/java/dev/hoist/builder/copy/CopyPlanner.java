package dev.hoist.builder.copy;

import dev.hoist.builder.context.GoPaths;
import dev.hoist.builder.context.IgnoreMatcher;
import dev.hoist.builder.dockerfile.Heredoc;
import dev.hoist.store.posix.FileStat;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Decides what a COPY or ADD copies where, with BuildKit's rules (dockerfile2llb's dispatchCopy and
 * fsutil's copy): sources are matched per path component with {@code filepath.Match}; a directory
 * copies its contents; a file lands at {@code dest/basename} when the destination ends with {@code
 * /} or is a directory in the image, else at the destination itself; several sources need a
 * directory destination.
 */
final class CopyPlanner {
  private final CopySpec spec;
  private final SourceTree tree;
  private final DestinationView dest;
  private final IgnoreMatcher excludes;

  /** One matched source: the path as matched, what it resolves to, its path below the pivot. */
  private record Item(String matched, SourceNode node, String belowPivot) {}

  /** A directory not yet emitted: excluded itself (--exclude), it appears only if a child does. */
  private static final class Pending {
    final String target;
    final SourceNode node;
    boolean emitted;

    Pending(String target, SourceNode node) {
      this.target = target;
      this.node = node;
    }
  }

  CopyPlanner(CopySpec spec, SourceTree tree, DestinationView dest) throws CopyException {
    this.spec = spec;
    this.tree = tree;
    this.dest = dest;
    try {
      this.excludes = IgnoreMatcher.of(spec.excludes());
    } catch (IllegalArgumentException e) {
      throw CopyException.of(spec, "invalid --exclude: " + e.getMessage());
    }
  }

  void run(CopySink sink) throws IOException {
    String written = spec.destination();
    boolean dirSyntax =
        written.isEmpty() || written.equals(".") || written.endsWith("/") || written.endsWith("/.");
    String absolute = written.startsWith("/") ? written : spec.workdir() + "/" + written;
    String destRel = dest.land(GoPaths.clean("/" + absolute));
    Optional<FileStat> destStat = dest.stat(destRel);
    boolean destIsDir = destRel.isEmpty() || destStat.map(FileStat::isDirectory).orElse(false);
    boolean intoDir = dirSyntax || destIsDir;

    List<Item> items = new ArrayList<>();
    List<URI> urls = new ArrayList<>();
    for (String source : spec.sources()) {
      if (Urls.isRemote(source)) {
        urls.add(remote(source));
      } else {
        items.addAll(expand(source));
      }
    }
    int total = items.size() + urls.size() + spec.heredocs().size();
    if (total > 1 && !intoDir) {
      throw CopyException.of(
          spec,
          "When using "
              + spec.keyword()
              + " with more than one source file, the destination must be a directory and end"
              + " with a /: "
              + quote(written));
    }
    if (intoDir) {
      sink.ensureDir(destRel);
    } else {
      sink.ensureDir(DestPaths.parent(destRel));
    }
    for (Item item : items) {
      copyItem(item, destRel, intoDir, destStat, sink);
    }
    for (URI url : urls) {
      String target = intoDir ? DestPaths.join(destRel, Urls.fileName(url)) : destRel;
      refuseDirectory(target);
      sink.ensureDir(DestPaths.parent(target));
      sink.download(
          target, url, spec.extractsFetchedArchives() ? Optional.of(destRel) : Optional.empty());
    }
    for (Heredoc doc : spec.heredocs()) {
      String target = intoDir ? DestPaths.join(destRel, DestPaths.base(doc.name())) : destRel;
      refuseDirectory(target);
      sink.ensureDir(DestPaths.parent(target));
      sink.inline(target, doc.effectiveContent().getBytes(StandardCharsets.UTF_8));
    }
  }

  private URI remote(String source) throws CopyException {
    if (!spec.add()) {
      throw CopyException.of(
          spec, "source can't be a URL for COPY: " + quote(source) + "; use ADD, or RUN curl");
    }
    if (Urls.isGit(source)) {
      throw CopyException.of(
          spec,
          "ADD of a git repository is not supported yet: "
              + quote(source)
              + "; clone it in a RUN step or into the build context");
    }
    try {
      return new URI(source);
    } catch (URISyntaxException e) {
      throw CopyException.of(spec, "invalid URL " + quote(source) + ": " + e.getReason());
    }
  }

  private void copyItem(
      Item item, String destRel, boolean intoDir, Optional<FileStat> destStat, CopySink sink)
      throws IOException {
    FileStat stat = item.node().stat();
    if (stat.isDirectory()) {
      String targetDir;
      if (spec.parents()) {
        targetDir = DestPaths.join(destRel, item.belowPivot());
        copyPivotParents(item, destRel, item.belowPivot(), sink);
      } else {
        if (!intoDir && destStat.isPresent()) {
          throw notDirectory(destRel);
        }
        targetDir = destRel;
        sink.ensureDir(targetDir);
      }
      walk(item.node(), item.node().path(), targetDir, new ArrayList<>(), sink);
      return;
    }
    if (spec.extractsLocalArchives()
        && stat.isRegular()
        && Archives.isArchive(item.node().real())) {
      sink.ensureDir(destRel); // an archive always unpacks into the destination as a directory
      sink.extract(destRel, item.node());
      return;
    }
    String target;
    if (spec.parents()) {
      target = DestPaths.join(destRel, item.belowPivot());
      copyPivotParents(item, destRel, DestPaths.parent(item.belowPivot()), sink);
    } else {
      target = intoDir ? DestPaths.join(destRel, DestPaths.base(item.matched())) : destRel;
    }
    refuseDirectory(target);
    sink.ensureDir(DestPaths.parent(target));
    sink.file(target, item.node());
  }

  /** With --parents, the source directories between the pivot and a match keep their metadata. */
  private void copyPivotParents(Item item, String destRel, String dirs, CopySink sink)
      throws IOException {
    if (dirs.isEmpty()) {
      sink.ensureDir(destRel);
      return;
    }
    String pivot =
        item.matched().substring(0, item.matched().length() - item.belowPivot().length());
    String below = "";
    sink.ensureDir(destRel);
    for (String part : dirs.split("/")) {
      below = DestPaths.join(below, part);
      Optional<SourceNode> node = tree.resolve(pivot + below, true);
      if (node.isEmpty() || !node.get().stat().isDirectory()) {
        throw notFound(pivot + below);
      }
      sink.directory(DestPaths.join(destRel, below), node.get());
    }
  }

  /** BuildKit's copy merges a directory only into a directory, never over a file or a link. */
  private void refuseNonDirectory(String target) throws IOException {
    Optional<FileStat> existing = dest.stat(target);
    if (existing.isPresent() && !existing.get().isDirectory()) {
      throw notDirectory(target);
    }
  }

  private CopyException notDirectory(String target) {
    return CopyException.of(spec, "cannot copy to non-directory: " + quote(DestPaths.show(target)));
  }

  private void refuseDirectory(String target) throws IOException {
    if (isDirectoryInImage(target)) {
      throw CopyException.of(
          spec,
          "cannot replace directory "
              + quote(DestPaths.show(target))
              + " with a file; end the destination with / to copy into it");
    }
  }

  private boolean isDirectoryInImage(String target) throws IOException {
    return dest.stat(target).map(FileStat::isDirectory).orElse(false);
  }

  /** Copies the contents of {@code dir}; {@code base} is what --exclude paths are relative to. */
  private void walk(
      SourceNode dir, String base, String target, List<Pending> pending, CopySink sink)
      throws IOException {
    for (SourceNode child : tree.children(dir)) {
      String childTarget = DestPaths.join(target, child.name());
      String belowBase = child.path().substring(base.isEmpty() ? 0 : base.length() + 1);
      if (!tree.holdsChild(child)) {
        continue; // left out of the context, with everything below it
      }
      boolean excluded = excludes.ignores(belowBase);
      if (child.stat().isDirectory()) {
        if (excluded) {
          if (excludes.hasExclusions()) {
            pending.add(new Pending(childTarget, child));
            walk(child, base, childTarget, pending, sink);
            pending.remove(pending.size() - 1);
          }
          continue;
        }
        refuseNonDirectory(childTarget);
        emitPending(pending, sink);
        sink.directory(childTarget, child);
        walk(child, base, childTarget, pending, sink);
      } else if (!excluded) {
        if (isDirectoryInImage(childTarget)) { // BuildKit refuses it too
          throw CopyException.of(
              spec,
              "cannot replace directory " + quote(DestPaths.show(childTarget)) + " with a file");
        }
        emitPending(pending, sink);
        sink.file(childTarget, child);
      }
    }
  }

  private void emitPending(List<Pending> pending, CopySink sink) throws IOException {
    for (Pending p : pending) {
      if (!p.emitted) {
        refuseNonDirectory(p.target);
        sink.directory(p.target, p.node);
        p.emitted = true;
      }
    }
  }

  /** The matches of one source: one for a path, every match (maybe none) for a pattern. */
  private List<Item> expand(String source) throws IOException {
    String rel = DestPaths.relative(source);
    String pivot = "";
    if (spec.parents()) {
      int at = ("/" + source).lastIndexOf("/./");
      if (at > 0) {
        pivot = DestPaths.relative(("/" + source).substring(0, at));
      }
    }
    List<String> parts = rel.isEmpty() ? List.of() : Arrays.asList(rel.split("/"));
    int first = 0;
    while (first < parts.size() && !GoGlob.hasWildcards(parts.get(first))) {
      first++;
    }
    List<String> literal = new ArrayList<>();
    for (String part : parts.subList(0, first)) {
      literal.add(GoGlob.unescape(part));
    }
    String prefix = String.join("/", literal);
    List<Item> out = new ArrayList<>();
    if (first == parts.size()) {
      Optional<SourceNode> node = tree.resolve(prefix, true);
      if (node.isEmpty() || hidden(prefix, node.get())) {
        throw notFound(source);
      }
      if (!excludes.ignores(prefix.isEmpty() ? "." : prefix)) {
        out.add(new Item(prefix, node.get(), belowPivot(prefix, pivot)));
      }
      return out;
    }
    List<GoGlob> globs = new ArrayList<>();
    try {
      for (String part : parts.subList(first, parts.size())) {
        globs.add(GoGlob.compile(part));
      }
    } catch (IllegalArgumentException e) {
      throw CopyException.of(spec, e.getMessage() + " in source " + quote(source));
    }
    Optional<SourceNode> start = tree.resolve(prefix, true);
    if (start.isPresent() && start.get().stat().isDirectory()) {
      List<String> matched = new ArrayList<>();
      match(start.get(), prefix, globs, 0, matched);
      for (String path : matched) {
        Optional<SourceNode> node = tree.resolve(path, true);
        if (node.isEmpty()) {
          throw notFound(path); // a dangling symlink
        }
        if (!excludes.ignores(path)) {
          out.add(new Item(path, node.get(), belowPivot(path, pivot)));
        }
      }
    }
    return out; // BuildKit allows a pattern that matches nothing
  }

  private void match(SourceNode dir, String soFar, List<GoGlob> globs, int depth, List<String> out)
      throws IOException {
    for (SourceNode child : tree.children(dir)) {
      if (!globs.get(depth).matches(child.name()) || hidden(child.path(), child)) {
        continue;
      }
      String path = DestPaths.join(soFar, child.name());
      if (depth == globs.size() - 1) {
        out.add(path);
      } else if (child.stat().isDirectory()) {
        match(child, path, globs, depth + 1, out);
      }
    }
  }

  /** Left out of the context by .dockerignore, as matched or as its symlinks resolve. */
  private boolean hidden(String path, SourceNode node) {
    boolean directory = node.stat().isDirectory();
    return !tree.holds(path, directory) || !tree.holds(node.path(), directory);
  }

  private String belowPivot(String path, String pivot) {
    if (pivot.isEmpty()) {
      return path;
    }
    if (path.equals(pivot)) {
      return "";
    }
    return path.startsWith(pivot + "/") ? path.substring(pivot.length() + 1) : path;
  }

  private CopyException notFound(String source) {
    if (tree.isContext()) {
      return CopyException.of(
          spec, "file not found in build context or excluded by .dockerignore: " + quote(source));
    }
    return CopyException.of(spec, quote(source) + " not found in the --from stage or image");
  }

  static String quote(String s) {
    return "\"" + s + "\"";
  }
}
