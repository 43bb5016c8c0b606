package dev.hoist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileOwnerTest {
  @TempDir Path root;

  private RootfsView image() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(
        root.resolve("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n"
            + "svc:x:1001:7:service with another primary group:/:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\nstaff:x:50:app\napp:x:1000:\n");
    return new RootfsView(List.of(root));
  }

  /** Each row is what Docker 20.10's BuildKit gave a WORKDIR's directories under that USER. */
  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''           | 0:0",
        "root         | 0:0",
        "1000         | 1000:1000",
        "1001         | 1001:1001",
        "svc          | 1001:7",
        "app          | 1000:1000",
        "app:staff    | 1000:50",
        "1002:staff   | 1002:50",
        "1001:50      | 1001:50",
        "ghost        | 0:0",
        "app:ghosts   | 1000:1000",
        "ghost:staff  | 0:50",
      })
  void resolve_followsBuildKitsFileOpRules(String spec, String expected) throws Exception {
    FileOwner owner = FileOwner.resolve(image(), spec);
    assertEquals(expected, owner.uid() + ":" + owner.gid());
  }

  @Test
  void resolve_withoutPasswdMakesNamesRoot() throws Exception {
    RootfsView empty = new RootfsView(List.of(root));
    assertEquals(FileOwner.ROOT, FileOwner.resolve(empty, "app:staff"));
    assertEquals(new FileOwner(5, 6), FileOwner.resolve(empty, "5:6"));
  }
}
