package dev.hoist.builder.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** COPY from the build context: each rule as a staged tree, each failure as its message. */
class CopierTest {
  private static final String[] CONTEXT = {
    "a.txt=A", "b.txt=B", "dir/c.txt=C", "dir/sub/d.txt=D", "link->a.txt"
  };

  @TempDir Path tmp;

  private Path context() throws IOException {
    return Trees.write(tmp.resolve("ctx"), CONTEXT);
  }

  private List<String> stage(Specs specs) throws IOException {
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(specs.build(), staging);
    return Trees.list(staging);
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        rule(
            "a file copied into a directory destination keeps its name",
            c -> Specs.copy(c, "/app/", "a.txt"),
            "d 0755 0:0 app",
            "f 0644 0:0 app/a.txt \"A\""),
        rule(
            "a destination without a slash names the file",
            c -> Specs.copy(c, "/app/x.txt", "a.txt"),
            "d 0755 0:0 app",
            "f 0644 0:0 app/x.txt \"A\""),
        rule(
            "a relative destination is below WORKDIR",
            c -> Specs.copy(c, "rel/", "a.txt").workdir("/work"),
            "d 0755 0:0 work",
            "d 0755 0:0 work/rel",
            "f 0644 0:0 work/rel/a.txt \"A\""),
        rule(
            "a directory source copies its contents",
            c -> Specs.copy(c, "/app", "dir"),
            "d 0755 0:0 app",
            "f 0644 0:0 app/c.txt \"C\"",
            "d 0755 0:0 app/sub",
            "f 0644 0:0 app/sub/d.txt \"D\""),
        rule(
            "a wildcard matches within one path component",
            c -> Specs.copy(c, "/app/", "*.txt"),
            "d 0755 0:0 app",
            "f 0644 0:0 app/a.txt \"A\"",
            "f 0644 0:0 app/b.txt \"B\""),
        rule(
            "wildcards and classes in inner components",
            c -> Specs.copy(c, "/app/", "d[h-j]?/*.txt"),
            "d 0755 0:0 app",
            "f 0644 0:0 app/c.txt \"C\""),
        rule(
            "a wildcard that matches nothing copies nothing, as in BuildKit",
            c -> Specs.copy(c, "/app/", "*.none"),
            "d 0755 0:0 app"),
        rule(
            "dot copies the whole context, symlinks as symlinks",
            c -> Specs.copy(c, "/app/", "."),
            "d 0755 0:0 app",
            "f 0644 0:0 app/a.txt \"A\"",
            "f 0644 0:0 app/b.txt \"B\"",
            "d 0755 0:0 app/dir",
            "f 0644 0:0 app/dir/c.txt \"C\"",
            "d 0755 0:0 app/dir/sub",
            "f 0644 0:0 app/dir/sub/d.txt \"D\"",
            "l 0:0 app/link -> a.txt"),
        rule(
            "a named source that is a symlink inside the context is followed",
            c -> Specs.copy(c, "/app/", "link"),
            "d 0755 0:0 app",
            "f 0644 0:0 app/link \"A\""),
        rule(
            "several sources into a directory",
            c -> Specs.copy(c, "/app/", "a.txt", "dir"),
            "d 0755 0:0 app",
            "f 0644 0:0 app/a.txt \"A\"",
            "f 0644 0:0 app/c.txt \"C\"",
            "d 0755 0:0 app/sub",
            "f 0644 0:0 app/sub/d.txt \"D\""),
        rule(
            "--parents keeps the source path",
            c -> Specs.copy(c, "/app/", "dir/sub/d.txt").parents(),
            "d 0755 0:0 app",
            "d 0755 0:0 app/dir",
            "d 0755 0:0 app/dir/sub",
            "f 0644 0:0 app/dir/sub/d.txt \"D\""),
        rule(
            "--parents with a wildcard keeps each match's path",
            c -> Specs.copy(c, "/app/", "dir/*/d.txt").parents(),
            "d 0755 0:0 app",
            "d 0755 0:0 app/dir",
            "d 0755 0:0 app/dir/sub",
            "f 0644 0:0 app/dir/sub/d.txt \"D\""),
        rule(
            "--parents keeps the path below a /./ pivot",
            c -> Specs.copy(c, "/app/", "dir/./sub/d.txt").parents(),
            "d 0755 0:0 app",
            "d 0755 0:0 app/sub",
            "f 0644 0:0 app/sub/d.txt \"D\""),
        rule(
            "--exclude leaves out matching paths below the source",
            c -> Specs.copy(c, "/app/", ".").exclude("*.txt", "dir/sub"),
            "d 0755 0:0 app",
            "d 0755 0:0 app/dir",
            "f 0644 0:0 app/dir/c.txt \"C\"",
            "l 0:0 app/link -> a.txt"),
        rule(
            "an --exclude exception brings a file back, with its parent directories",
            c -> Specs.copy(c, "/app/", "dir").exclude("sub", "!sub/d.txt", "c.txt"),
            "d 0755 0:0 app",
            "d 0755 0:0 app/sub",
            "f 0644 0:0 app/sub/d.txt \"D\""),
        rule(
            "./ and a trailing slash on a source change nothing",
            c -> Specs.copy(c, "/app", "./dir/sub/"),
            "d 0755 0:0 app",
            "f 0644 0:0 app/d.txt \"D\""),
        rule(
            ".dockerignore leaves files out, a ! exception brings one back",
            c -> Specs.copy(c, "/app/", ".").ignore("dir", "b.txt", "!dir/sub/d.txt"),
            "d 0755 0:0 app",
            "f 0644 0:0 app/a.txt \"A\"",
            "d 0755 0:0 app/dir",
            "d 0755 0:0 app/dir/sub",
            "f 0644 0:0 app/dir/sub/d.txt \"D\"",
            "l 0:0 app/link -> a.txt"),
        rule(
            "--chmod sets the mode of copied files and directories, not of created parents",
            c -> Specs.copy(c, "/app/", "dir").chmod("0700"),
            "d 0755 0:0 app",
            "f 0700 0:0 app/c.txt \"C\"",
            "d 0700 0:0 app/sub",
            "f 0700 0:0 app/sub/d.txt \"D\""),
        rule(
            "a symbolic --chmod changes each file's and directory's own bits (dockerfile 1.14)",
            c -> Specs.copy(c, "/app/", "dir").chmod("go-rx,u+x"),
            "d 0755 0:0 app",
            "f 0700 0:0 app/c.txt \"C\"",
            "d 0700 0:0 app/sub",
            "f 0700 0:0 app/sub/d.txt \"D\""),
        rule(
            "--chown owns what is copied and the directories created for it",
            c -> Specs.copy(c, "/app/x/", "dir").chown("1000:1001"),
            "d 0755 1000:1001 app",
            "d 0755 1000:1001 app/x",
            "f 0644 1000:1001 app/x/c.txt \"C\"",
            "d 0755 1000:1001 app/x/sub",
            "f 0644 1000:1001 app/x/sub/d.txt \"D\""),
        rule(
            "--chown with a uid only uses it as the gid too",
            c -> Specs.copy(c, "/a.txt", "a.txt").chown("1000"),
            "f 0644 1000:1000 a.txt \"A\""),
        rule(
            "a heredoc becomes a 0644 file named by its delimiter",
            c -> Specs.copy(c, "/app/").heredoc("hello.sh", "echo hi\n"),
            "d 0755 0:0 app",
            "f 0644 0:0 app/hello.sh \"echo hi\n\""),
        rule(
            "a heredoc to a file destination takes that name",
            c -> Specs.copy(c, "/app/run.sh").heredoc("EOF", "x\n").chmod("755"),
            "d 0755 0:0 app",
            "f 0755 0:0 app/run.sh \"x\n\""),
        rule(
            "../ cannot climb out: the context root is /",
            c -> Specs.copy(c, "/app/", "../../a.txt"),
            "d 0755 0:0 app",
            "f 0644 0:0 app/a.txt \"A\""),
        rule(
            "an absolute source is inside the context",
            c -> Specs.copy(c, "/app/", "/dir/c.txt"),
            "d 0755 0:0 app",
            "f 0644 0:0 app/c.txt \"C\""));
  }

  private static Arguments rule(String name, Function<Path, Specs> spec, String... expected) {
    return Arguments.of(name, spec, List.of(expected));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void stage_followsDockerRules(String name, Function<Path, Specs> spec, List<String> expected)
      throws IOException {
    assertEquals(expected, stage(spec.apply(context())));
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        failure(
            c -> Specs.copy(c, "/app/", "x.txt"),
            "Dockerfile:7: COPY failed: file not found in build context or excluded by"
                + " .dockerignore: \"x.txt\""),
        failure(
            c -> Specs.copy(c, "/app/", "a.txt").ignore("*.txt"),
            "Dockerfile:7: COPY failed: file not found in build context or excluded by"
                + " .dockerignore: \"a.txt\""),
        failure(
            c -> Specs.copy(c, "/app", "a.txt", "b.txt"),
            "Dockerfile:7: COPY failed: When using COPY with more than one source file, the"
                + " destination must be a directory and end with a /: \"/app\""),
        failure(
            c -> Specs.copy(c, "/app", "*.txt"),
            "Dockerfile:7: COPY failed: When using COPY with more than one source file, the"
                + " destination must be a directory and end with a /: \"/app\""),
        failure(
            c -> Specs.copy(c, "/app/", "a.txt").chmod("u+q"),
            "Dockerfile:7: COPY failed: invalid --chmod=u+q: \"u+q\" is neither an octal mode"
                + " nor a symbolic one such as u+x,go-w"),
        failure(
            c -> Specs.copy(c, "/app/", "https://example.com/x.tgz"),
            "Dockerfile:7: COPY failed: source can't be a URL for COPY:"
                + " \"https://example.com/x.tgz\"; use ADD, or RUN curl"),
        failure(
            c -> Specs.add(c, "/src/", "https://github.com/moby/buildkit.git#v0.12.0"),
            "Dockerfile:7: ADD failed: ADD of a git repository is not supported yet:"
                + " \"https://github.com/moby/buildkit.git#v0.12.0\"; clone it in a RUN step or"
                + " into the build context"),
        failure(
            c -> Specs.copy(c, "/app/", "[a-").chmod("0644"),
            "Dockerfile:7: COPY failed: syntax error in pattern \"[a-\" in source \"[a-\""));
  }

  private static Arguments failure(Function<Path, Specs> spec, String message) {
    return Arguments.of(spec, message);
  }

  @ParameterizedTest
  @MethodSource("failures")
  void stage_failsWithOneLineMessage(Function<Path, Specs> spec, String message)
      throws IOException {
    Specs specs = spec.apply(context());
    CopyException e =
        assertThrows(
            CopyException.class,
            () -> Copier.stage(specs.build(), Files.createDirectories(tmp.resolve("staging"))));
    assertEquals(message, e.getMessage());
  }

  static Stream<Arguments> escapes() {
    return Stream.of(
        Arguments.of("symlink to an absolute host path", new String[] {"evil->/etc/passwd"}),
        Arguments.of("symlink climbing with ..", new String[] {"evil->../../../../etc/passwd"}),
        Arguments.of(
            "symlink chain out", new String[] {"evil->hop", "hop->../../../../../etc/hostname"}),
        Arguments.of("symlinked directory out", new String[] {"evil->/etc"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("escapes")
  void stage_neverReadsOutsideTheContext(String name, String[] entries) throws IOException {
    Path ctx = Trees.write(tmp.resolve("ctx"), entries);
    Trees.write(tmp, "secret.txt=S");
    for (String source : List.of("evil", "evil/passwd", "../secret.txt", "/../secret.txt")) {
      Path staging = Files.createDirectories(tmp.resolve("staging-" + Math.abs(source.hashCode())));
      CopyException e =
          assertThrows(
              CopyException.class,
              () -> Copier.stage(Specs.copy(ctx, "/app/", source).build(), staging),
              source);
      assertTrue(e.getMessage().contains("file not found in build context"), e.getMessage());
    }
    // Copied as part of a directory, the link stays a link and its target is not read.
    List<String> staged = stage(Specs.copy(ctx, "/app/", "."));
    assertTrue(staged.stream().noneMatch(l -> l.startsWith("f ")), staged.toString());
  }

  @Test
  void stage_keepsModesAndMtimesOfSourceFiles() throws IOException {
    Path ctx = context();
    Posix.chmod(ctx.resolve("dir/sub/d.txt"), 04750);
    Trees.touch(ctx.resolve("dir/sub/d.txt"), Trees.OLD);
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Copier.stage(Specs.copy(ctx, "/app/", "dir").build(), staging);
    FileStat d = Posix.lstat(staging.resolve("app/sub/d.txt"));
    assertEquals(04750, d.permissions());
    assertEquals(Trees.OLD, d.mtime());
    assertEquals(Trees.OLD, Trees.mtime(staging.resolve("app/sub")));
  }

  @Test
  void stage_keepsHardlinksWithinOneCopy() throws IOException {
    Path ctx = Trees.write(tmp.resolve("ctx"), "h/one=same");
    Files.createLink(ctx.resolve("h/two"), ctx.resolve("h/one"));
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    CopyResult result = Copier.stage(Specs.copy(ctx, "/x/", "h").build(), staging);
    FileStat one = Posix.lstat(staging.resolve("x/one"));
    FileStat two = Posix.lstat(staging.resolve("x/two"));
    assertEquals(one.ino(), two.ino());
    assertEquals(2, one.nlink());
    assertEquals(new CopyResult(3, 4), result); // x, one, two; the bytes once
  }

  @Test
  void stage_refusesANonEmptyStagingDir() throws IOException {
    Path staging = Trees.write(tmp.resolve("staging"), "junk=1");
    assertThrows(
        IllegalArgumentException.class,
        () -> Copier.stage(Specs.copy(context(), "/", "a.txt").build(), staging));
  }
}
