package dev.hoist.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Makes a busybox root filesystem directory from Debian's static {@code /bin/busybox}
 * (busybox-static): one symlink per applet from {@code busybox --list-full}, {@code /etc/passwd}
 * with root, nobody and a test user {@code app} (uid 1000, gid 1000, also in group {@code staff}
 * 50), {@code /etc/group}, {@code /tmp} (1777), {@code /root} (0700) and {@code /home/app}.
 */
public final class BusyboxRootfs {
  /** Where Debian's busybox-static puts the binary. */
  public static final Path BUSYBOX = Path.of("/bin/busybox");

  static final String PASSWD =
      "root:x:0:0:root:/root:/bin/sh\n"
          + "app:x:1000:1000:app:/home/app:/bin/sh\n"
          + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
  static final String GROUP =
      "root:x:0:\n"
          + "wheel:x:10:root\n"
          + "staff:x:50:app\n"
          + "app:x:1000:\n"
          + "nogroup:x:65534:\n";

  private BusyboxRootfs() {}

  /** True when the static busybox this fixture needs is installed. */
  public static boolean available() {
    return Files.isExecutable(BUSYBOX);
  }

  /** Creates a complete busybox rootfs in {@code dir} (created if missing) and returns it. */
  public static Path create(Path dir) throws IOException {
    return createLayers(dir, 1).get(0);
  }

  /**
   * Creates a busybox rootfs split over {@code count} sibling directories {@code dir/0 .. dir/N-1},
   * bottom layer first, as an image's unpacked layers would be: layer 0 holds busybox and /etc, the
   * applet symlinks are spread over the others, and the top layer holds /tmp, /root, /home.
   */
  public static List<Path> createLayers(Path dir, int count) throws IOException {
    Objects.requireNonNull(dir, "dir");
    if (count < 1) {
      throw new IllegalArgumentException("layer count must be at least 1, got " + count);
    }
    List<Path> layers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      layers.add(Files.createDirectories(count == 1 ? dir : dir.resolve(Integer.toString(i))));
    }
    Path base = layers.get(0);
    Files.createDirectories(base.resolve("bin"));
    Files.copy(BUSYBOX, base.resolve("bin/busybox"), StandardCopyOption.REPLACE_EXISTING);
    Files.createDirectories(base.resolve("etc"));
    Files.writeString(base.resolve("etc/passwd"), PASSWD);
    Files.writeString(base.resolve("etc/group"), GROUP);
    List<String> applets = applets();
    for (int i = 0; i < applets.size(); i++) {
      String applet = applets.get(i);
      Path layer = layers.get(count == 1 ? 0 : 1 + i % (count - 1));
      Path link = layer.resolve(applet);
      if (applet.equals("bin/busybox") || Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of("/bin/busybox"));
    }
    Path top = layers.get(count - 1);
    Files.createDirectories(top.resolve("tmp"));
    Files.createDirectories(top.resolve("root"));
    Files.createDirectories(top.resolve("home/app"));
    chmod("1777", top.resolve("tmp"));
    chmod("0700", top.resolve("root"));
    run("chown", "1000:1000", top.resolve("home/app").toString());
    return List.copyOf(layers);
  }

  private static List<String> applets() throws IOException {
    String out = run(BUSYBOX.toString(), "--list-full");
    List<String> applets = new ArrayList<>();
    for (String line : out.split("\n")) {
      String applet = line.strip();
      if (!applet.isEmpty()) {
        applets.add(applet);
      }
    }
    return applets;
  }

  private static void chmod(String mode, Path path) throws IOException {
    run("chmod", mode, path.toString());
  }

  private static String run(String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (InputStream in = process.getInputStream()) {
      String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + out.strip());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command[0], e);
    }
  }
}
