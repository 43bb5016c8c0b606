package dev.hoist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Resolution inside a layered rootfs (whiteouts need root to create, so the layer uses mknod). */
class RootfsViewTest {
  @TempDir Path tmp;
  Path lower;
  Path upper;
  RootfsView view;

  @BeforeEach
  void layers() throws Exception {
    lower = Files.createDirectories(tmp.resolve("lower"));
    upper = Files.createDirectories(tmp.resolve("upper"));
    Files.createDirectories(lower.resolve("usr/lib"));
    Files.createDirectories(lower.resolve("var"));
    Files.writeString(lower.resolve("usr/lib/file"), "x");
    Files.writeString(lower.resolve("gone"), "x");
    Files.createSymbolicLink(lower.resolve("lib"), Path.of("usr/lib"));
    Files.createSymbolicLink(lower.resolve("var/run"), Path.of("/run"));
    Files.createSymbolicLink(lower.resolve("escape"), Path.of("../../../../../../etc"));
    Files.createSymbolicLink(lower.resolve("abs-escape"), Path.of("/etc/shadow"));
    Files.createSymbolicLink(lower.resolve("loop"), Path.of("loop"));
    Process mknod =
        new ProcessBuilder("mknod", upper.resolve("gone").toString(), "c", "0", "0").start();
    assertEquals(0, mknod.waitFor(), "mknod needs root");
    view = new RootfsView(List.of(upper, lower));
  }

  @ParameterizedTest(name = "{0} -> {1} (exists {2})")
  @CsvSource({
    "/usr/lib/file, usr/lib/file, true",
    "/lib/file, usr/lib/file, true",
    "/lib/../lib/file, usr/lib/file, true",
    "/var/run/x.pid, run/x.pid, false",
    "/escape/passwd, etc/passwd, false",
    "/abs-escape, etc/shadow, false",
    "/../../../etc, etc, false",
    "/gone, gone, false",
    "/new/dir, new/dir, false",
    "/, '', true",
  })
  void resolve_keepsEveryPathInsideTheRootfs(String path, String relative, boolean exists)
      throws Exception {
    RootfsView.Resolved r = view.resolve(path, true);
    assertEquals(relative, r.relative());
    assertEquals(exists, r.exists());
  }

  @Test
  void resolve_listsTheComponentsToCreate() throws Exception {
    assertEquals(List.of("run", "run/a", "run/a/b"), view.resolve("/var/run/a/b", true).missing());
    assertEquals(List.of("usr/lib/x"), view.resolve("/lib/x", true).missing());
  }

  @Test
  void lookup_hidesWhiteoutsAndFindsLowerFiles() throws Exception {
    assertFalse(view.lookup("gone").isPresent());
    assertTrue(view.lookup("usr/lib/file").orElseThrow().startsWith(lower));
  }

  @Test
  void resolve_refusesSymlinkLoops() {
    SandboxException e = assertThrows(SandboxException.class, () -> view.resolve("/loop/x", true));
    assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
  }
}
