package dev.hoist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserResolverTest {
  @TempDir Path root;

  private RootfsView image() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(
        root.resolve("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\n"
            + "# a comment\n"
            + "app:x:1000:1000:app:/home/app:/bin/sh\n"
            + "broken:x:notanumber:1:x:/:/bin/sh\n"
            + "dup:x:1000:7:second entry for uid 1000:/nowhere:/bin/sh\n");
    Files.writeString(
        root.resolve("etc/group"),
        "root:x:0:\nwheel:x:10:root,app\nstaff:x:50:app\napp:x:1000:\ndocker:x:999:other\n");
    return new RootfsView(List.of(root));
  }

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''          | 0 0 [10] /root",
        "root        | 0 0 [10] /root",
        "app         | 1000 1000 [10,50] /home/app",
        "1000        | 1000 1000 [10,50] /home/app",
        "1000:50     | 1000 50 [] /home/app",
        "app:staff   | 1000 50 [] /home/app",
        "app:999     | 1000 999 [] /home/app",
        "app:4000    | 1000 4000 [] /home/app",
        "4242        | 4242 0 [] /",
        "4242:docker | 4242 999 [] /",
        "0:0         | 0 0 [] /root",
      })
  void resolve_followsRuncRules(String spec, String expected) throws Exception {
    ExecUser user = UserResolver.resolve(image(), spec);
    String actual =
        user.uid()
            + " "
            + user.gid()
            + " "
            + user.supplementaryGroups().stream()
                .map(String::valueOf)
                .collect(Collectors.joining(",", "[", "]"))
            + " "
            + user.home();
    assertEquals(expected, actual);
  }

  @ParameterizedTest
  @CsvSource({"ghost, unable to find user ghost", "app:nogroup, unable to find group nogroup"})
  void resolve_refusesUnknownNamesWithOneLine(String spec, String message) throws Exception {
    SandboxException e =
        assertThrows(SandboxException.class, () -> UserResolver.resolve(image(), spec));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void resolve_withoutPasswdAcceptsOnlyNumbers() throws Exception {
    RootfsView empty = new RootfsView(List.of(root));
    assertEquals(List.of(), UserResolver.resolve(empty, "").supplementaryGroups());
    assertEquals(5, UserResolver.resolve(empty, "5:6").uid());
    assertThrows(SandboxException.class, () -> UserResolver.resolve(empty, "app"));
  }

  @Test
  void resolve_readsPasswdThroughASymlinkInsideTheImageOnly() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("usr/share"));
    Files.writeString(root.resolve("usr/share/passwd"), "svc:x:77:77::/srv:/bin/sh\n");
    Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/usr/share/passwd"));
    assertEquals(77, UserResolver.resolve(new RootfsView(List.of(root)), "svc").uid());
    // An absolute link to the host's /etc/passwd resolves inside the image, where it is absent.
    Files.delete(root.resolve("etc/passwd"));
    Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/etc/passwd"));
    assertThrows(
        SandboxException.class, () -> UserResolver.resolve(new RootfsView(List.of(root)), "root"));
  }
}
