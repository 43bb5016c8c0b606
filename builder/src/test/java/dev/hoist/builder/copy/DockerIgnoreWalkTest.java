package dev.hoist.builder.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code COPY . /ctx} under a .dockerignore with exceptions: what lands is what Docker 20.10's
 * BuildKit sent for the same tree and patterns (each row was measured with {@code docker build -o}
 * on this tree): an ignored directory is walked only when an exception's text starts with it, and
 * then it is sent with its own mode even if nothing below it comes back.
 */
class DockerIgnoreWalkTest {
  @TempDir Path tmp;

  private Path context(List<String> ignore) throws IOException {
    Path ctx =
        Trees.write(
            tmp.resolve("ctx"),
            "a/f1=f",
            "a/b/f2=f",
            "a/b/c/f3=f",
            "a/e/f4=f",
            "x/y/z.txt=f",
            "x/t.txt=f",
            "empty/sub/",
            "keep/k.txt=f",
            "keep/deep/k2.md=f",
            "top.txt=f",
            "top.md=f",
            "Dockerfile=FROM scratch",
            ".dockerignore=" + String.join("\n", ignore));
    Posix.chmod(ctx.resolve("a/b"), 0750);
    Posix.chmod(ctx.resolve("a/b/c"), 0711);
    Posix.chmod(ctx.resolve("empty/sub"), 0700);
    return ctx;
  }

  static Stream<Arguments> measured() {
    return Stream.of(
        sent(
            List.of("a", "!a/b/c/f3"),
            ".dockerignore",
            "Dockerfile",
            "a",
            "a/b",
            "a/b/c",
            "a/b/c/f3",
            "empty",
            "empty/sub",
            "keep",
            "keep/deep",
            "keep/deep/k2.md",
            "keep/k.txt",
            "top.md",
            "top.txt",
            "x",
            "x/t.txt",
            "x/y",
            "x/y/z.txt"),
        sent(
            List.of("a", "!a/b"),
            ".dockerignore",
            "Dockerfile",
            "a",
            "a/b",
            "a/b/c",
            "a/b/c/f3",
            "a/b/f2",
            "empty",
            "empty/sub",
            "keep",
            "keep/deep",
            "keep/deep/k2.md",
            "keep/k.txt",
            "top.md",
            "top.txt",
            "x",
            "x/t.txt",
            "x/y",
            "x/y/z.txt"),
        sent(
            List.of("a/b", "!a/b/c"),
            ".dockerignore",
            "Dockerfile",
            "a",
            "a/b",
            "a/b/c",
            "a/b/c/f3",
            "a/e",
            "a/e/f4",
            "a/f1",
            "empty",
            "empty/sub",
            "keep",
            "keep/deep",
            "keep/deep/k2.md",
            "keep/k.txt",
            "top.md",
            "top.txt",
            "x",
            "x/t.txt",
            "x/y",
            "x/y/z.txt"),
        sent(
            List.of("a", "!a/b/c"),
            ".dockerignore",
            "Dockerfile",
            "a",
            "a/b",
            "a/b/c",
            "a/b/c/f3",
            "empty",
            "empty/sub",
            "keep",
            "keep/deep",
            "keep/deep/k2.md",
            "keep/k.txt",
            "top.md",
            "top.txt",
            "x",
            "x/t.txt",
            "x/y",
            "x/y/z.txt"),
        sent(List.of("*", "!keep/deep"), "keep", "keep/deep", "keep/deep/k2.md"),
        sent(List.of("**", "!**/*.md"), "top.md"),
        sent(
            List.of("a", "!a/*/f3"),
            ".dockerignore",
            "Dockerfile",
            "a",
            "empty",
            "empty/sub",
            "keep",
            "keep/deep",
            "keep/deep/k2.md",
            "keep/k.txt",
            "top.md",
            "top.txt",
            "x",
            "x/t.txt",
            "x/y",
            "x/y/z.txt"),
        sent(
            List.of("a", "!**/f3"),
            ".dockerignore",
            "Dockerfile",
            "empty",
            "empty/sub",
            "keep",
            "keep/deep",
            "keep/deep/k2.md",
            "keep/k.txt",
            "top.md",
            "top.txt",
            "x",
            "x/t.txt",
            "x/y",
            "x/y/z.txt"),
        sent(
            List.of("a", "!a/b/c/nothere"),
            ".dockerignore",
            "Dockerfile",
            "a",
            "a/b",
            "a/b/c",
            "empty",
            "empty/sub",
            "keep",
            "keep/deep",
            "keep/deep/k2.md",
            "keep/k.txt",
            "top.md",
            "top.txt",
            "x",
            "x/t.txt",
            "x/y",
            "x/y/z.txt"),
        sent(
            List.of("a", "!a/e/**"),
            ".dockerignore",
            "Dockerfile",
            "a",
            "a/e",
            "a/e/f4",
            "empty",
            "empty/sub",
            "keep",
            "keep/deep",
            "keep/deep/k2.md",
            "keep/k.txt",
            "top.md",
            "top.txt",
            "x",
            "x/t.txt",
            "x/y",
            "x/y/z.txt"),
        sent(
            List.of("x", "!x/y/*.txt"),
            ".dockerignore",
            "Dockerfile",
            "a",
            "a/b",
            "a/b/c",
            "a/b/c/f3",
            "a/b/f2",
            "a/e",
            "a/e/f4",
            "a/f1",
            "empty",
            "empty/sub",
            "keep",
            "keep/deep",
            "keep/deep/k2.md",
            "keep/k.txt",
            "top.md",
            "top.txt",
            "x",
            "x/y",
            "x/y/z.txt"),
        sent(
            List.of("*", "!Dockerfile", "!a/b/c/f3"),
            "Dockerfile",
            "a",
            "a/b",
            "a/b/c",
            "a/b/c/f3"),
        sent(
            List.of("empty", "!empty/sub"),
            ".dockerignore",
            "Dockerfile",
            "a",
            "a/b",
            "a/b/c",
            "a/b/c/f3",
            "a/b/f2",
            "a/e",
            "a/e/f4",
            "a/f1",
            "empty",
            "empty/sub",
            "keep",
            "keep/deep",
            "keep/deep/k2.md",
            "keep/k.txt",
            "top.md",
            "top.txt",
            "x",
            "x/t.txt",
            "x/y",
            "x/y/z.txt"),
        sent(
            List.of("a", "!a/b/c/", "a/b/c/f3"),
            ".dockerignore",
            "Dockerfile",
            "a",
            "a/b",
            "a/b/c",
            "empty",
            "empty/sub",
            "keep",
            "keep/deep",
            "keep/deep/k2.md",
            "keep/k.txt",
            "top.md",
            "top.txt",
            "x",
            "x/t.txt",
            "x/y",
            "x/y/z.txt"),
        sent(
            List.of("**/*.txt", "!x"),
            ".dockerignore",
            "Dockerfile",
            "a",
            "a/b",
            "a/b/c",
            "a/b/c/f3",
            "a/b/f2",
            "a/e",
            "a/e/f4",
            "a/f1",
            "empty",
            "empty/sub",
            "keep",
            "keep/deep",
            "keep/deep/k2.md",
            "top.md",
            "x",
            "x/t.txt",
            "x/y",
            "x/y/z.txt"),
        sent(
            List.of("a/**", "!a/b/f2"),
            ".dockerignore",
            "Dockerfile",
            "a",
            "a/b",
            "a/b/f2",
            "empty",
            "empty/sub",
            "keep",
            "keep/deep",
            "keep/deep/k2.md",
            "keep/k.txt",
            "top.md",
            "top.txt",
            "x",
            "x/t.txt",
            "x/y",
            "x/y/z.txt"),
        sent(
            List.of("a/*", "!a/e"),
            ".dockerignore",
            "Dockerfile",
            "a",
            "a/e",
            "a/e/f4",
            "empty",
            "empty/sub",
            "keep",
            "keep/deep",
            "keep/deep/k2.md",
            "keep/k.txt",
            "top.md",
            "top.txt",
            "x",
            "x/t.txt",
            "x/y",
            "x/y/z.txt"));
  }

  private static Arguments sent(List<String> ignore, String... paths) {
    return Arguments.of(ignore, List.of(paths));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("measured")
  void copyOfTheContext_sendsWhatBuildKitSends(List<String> ignore, List<String> expected)
      throws IOException {
    Path ctx = context(ignore);
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Copier.stage(
        Specs.copy(ctx, "/ctx", ".").ignore(ignore.toArray(String[]::new)).build(), staging);

    List<String> paths = new ArrayList<>();
    for (String line : Trees.list(staging.resolve("ctx"))) {
      String[] f = line.split(" ");
      String path = f[3]; // no symlinks in this tree: every line is "KIND MODE OWNER PATH ..."
      paths.add(path);
      if (f[0].equals("d")) { // a sent directory keeps its own mode
        String mode = String.format("%04o", Posix.lstat(ctx.resolve(path)).permissions());
        assertEquals(mode, f[1], path);
      }
    }
    assertEquals(expected, paths);
  }
}
