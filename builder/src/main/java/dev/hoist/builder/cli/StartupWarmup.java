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

  private StartupWarmup() {}

  static boolean helps(String command) {
    return !NOT_HELPED.contains(command);
  }

  static void start() {
    Thread warmup = new Thread(StartupWarmup::run, "hoist-startup-warmup");
    warmup.setDaemon(true);
    warmup.start();
  }

  private static void run() {
    try {
      new ObjectMapper();
      Reference.parse("localhost/warmup:latest");
      Posix.lgetxattr(Path.of("/"), "user.hoist.warmup");
    } catch (IOException | RuntimeException e) {
      // Nothing to report: the command itself makes these calls and reports what fails.
    }
  }
}
