package dev.hoist.builder.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hoist.image.Digest;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cache-key digest: what the copy reads changes it, mtimes and unread files do not. */
class InputDigestTest {
  @TempDir Path tmp;
  Path ctx;
  Path layer;

  /** One change to the inputs. */
  interface Change {
    void apply(Path ctx, Path layer) throws IOException;
  }

  @BeforeEach
  void trees() throws IOException {
    ctx =
        Trees.write(
            tmp.resolve("ctx"), "app/a.txt=A", "app/sub/b.txt=B", "app/l->a.txt", "other.txt=O");
    layer = Trees.write(tmp.resolve("layer"), "opt/x=X");
  }

  private Digest contextDigest() throws IOException {
    return Copier.inputDigest(Specs.copy(ctx, "/dst/", "app").exclude("*.log").build());
  }

  private Digest layerDigest() throws IOException {
    return Copier.inputDigest(Specs.copy(ctx, "/dst/", "/opt").from(layer).build());
  }

  static Stream<Arguments> changes() {
    return Stream.of(
        Arguments.of(
            "content of a file",
            true,
            (Change) (c, l) -> Files.writeString(c.resolve("app/a.txt"), "a")),
        Arguments.of(
            "mode of a file",
            true,
            (Change) (c, l) -> Posix.chmod(c.resolve("app/sub/b.txt"), 0600)),
        Arguments.of(
            "mode of a directory",
            true,
            (Change) (c, l) -> Posix.chmod(c.resolve("app/sub"), 0700)),
        Arguments.of(
            "a symlink's target",
            true,
            (Change)
                (c, l) -> {
                  Files.delete(c.resolve("app/l"));
                  Posix.symlink("sub/b.txt", c.resolve("app/l"));
                }),
        Arguments.of(
            "a new file", true, (Change) (c, l) -> Files.writeString(c.resolve("app/new"), "")),
        Arguments.of(
            "a file renamed",
            true,
            (Change) (c, l) -> Files.move(c.resolve("app/sub/b.txt"), c.resolve("app/sub/c.txt"))),
        Arguments.of(
            "a file becoming a hardlink",
            true,
            (Change)
                (c, l) -> {
                  Files.delete(c.resolve("app/sub/b.txt"));
                  Files.createLink(c.resolve("app/sub/b.txt"), c.resolve("app/a.txt"));
                }),
        Arguments.of(
            "only mtimes",
            false,
            (Change)
                (c, l) -> {
                  Instant t = Instant.parse("2024-01-01T00:00:00Z");
                  Posix.lutimes(c.resolve("app/a.txt"), t, t);
                  Posix.lutimes(c.resolve("app/sub"), t, t);
                  Posix.lutimes(c.resolve("app/l"), t, t);
                }),
        Arguments.of(
            "a file outside the sources",
            false,
            (Change) (c, l) -> Files.writeString(c.resolve("other.txt"), "changed")),
        Arguments.of(
            "an excluded file",
            false,
            (Change) (c, l) -> Files.writeString(c.resolve("app/debug.log"), "noise")),
        Arguments.of(
            "the owner of a context file (COPY makes it 0:0)",
            false,
            (Change) (c, l) -> Posix.lchown(c.resolve("app/a.txt"), 1234, 1234)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void inputDigest_followsWhatTheCopyReads(String name, boolean changes, Change change)
      throws IOException {
    Digest before = contextDigest();
    assertEquals(before, contextDigest(), "the digest is stable");
    change.apply(ctx, layer);
    if (changes) {
      assertNotEquals(before, contextDigest());
    } else {
      assertEquals(before, contextDigest());
    }
  }

  @Test
  void inputDigest_changesWithTheOwnerOfAnImageFile() throws IOException {
    Digest before = layerDigest();
    Posix.lchown(layer.resolve("opt/x"), 5, 5);
    assertNotEquals(before, layerDigest());
  }

  @Test
  void inputDigest_changesWithTheSpecsWords() throws IOException {
    Digest base = Copier.inputDigest(Specs.copy(ctx, "/dst/", "app").build());
    assertNotEquals(base, Copier.inputDigest(Specs.copy(ctx, "/other/", "app").build()));
    assertNotEquals(base, Copier.inputDigest(Specs.copy(ctx, "/dst/", "app").chown("1").build()));
    assertNotEquals(base, Copier.inputDigest(Specs.copy(ctx, "/dst/", "app").chmod("700").build()));
    assertNotEquals(base, Copier.inputDigest(Specs.add(ctx, "/dst/", "app").build()));
    assertNotEquals(base, Copier.inputDigest(Specs.copy(ctx, "dst/", "app").workdir("/w").build()));
  }

  @Test
  void inputDigest_coversHeredocContent() throws IOException {
    Digest one = Copier.inputDigest(Specs.copy(ctx, "/x").heredoc("EOF", "one\n").build());
    Digest two = Copier.inputDigest(Specs.copy(ctx, "/x").heredoc("EOF", "two\n").build());
    assertNotEquals(one, two);
  }

  @Test
  void inputDigest_reportsAMissingSourceLikeStage() {
    CopyException e =
        assertThrows(
            CopyException.class, () -> Copier.inputDigest(Specs.copy(ctx, "/x/", "nope").build()));
    assertEquals(
        "Dockerfile:7: COPY failed: file not found in build context or excluded by"
            + " .dockerignore: \"nope\"",
        e.getMessage());
  }
}
