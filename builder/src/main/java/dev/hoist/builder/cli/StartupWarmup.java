package dev.hoist.builder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.image.Reference;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Starts, on a second core, the set-up that every store or registry command waits for the first
 * time in a JVM, while the main thread parses the command line: Jackson's ObjectMapper (its static
 * initialiser builds locale-aware date formats, about a fifth of a cached build's start) and the
 * libc binding (jnr-ffi generates its glue classes at run time). Only a head start: the main thread
 * waits for a class initialiser still running and otherwise does the same work itself.
 */
final class StartupWarmup {
  /** Commands that read no JSON and make no libc calls. */
  private static final Set<String> NOT_HELPED = Set.of("version", "lint", "debug", "logout");

  /**
   * Commands that read JSON but make no libc calls (they move blobs, never file trees): binding
   * libc for them was ~10% of a 200 MB push's or pull's CPU (perf), spent for nothing.
   */
  private static final Set<String> NO_LIBC = Set.of("push", "pull");

  private StartupWarmup() {}

  static boolean helps(String command) {
    return !NOT_HELPED.contains(command);
  }

  static void start(String command) {
    boolean libc = !NO_LIBC.contains(command);
    Thread warmup = new Thread(() -> run(libc), "hoist-startup-warmup");
    warmup.setDaemon(true);
    warmup.start();
  }

  private static void run(boolean libc) {
    try {
      new ObjectMapper();
      Reference.parse("localhost/warmup:latest");
      if (libc) {
        Posix.lgetxattr(Path.of("/"), "user.hoist.warmup");
      }
    } catch (IOException | RuntimeException e) {
      // Nothing to report: the command itself makes these calls and reports what fails.
    }
  }
}
