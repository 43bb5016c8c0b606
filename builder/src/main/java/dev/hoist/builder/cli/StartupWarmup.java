package dev.hoist.builder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.image.Reference;
import dev.hoist.store.posix.Posix;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Security;
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

  /**
   * Commands that talk to a registry: okhttp's first call lists every security provider (it asks
   * whether Conscrypt is the first), which loads and initialises a dozen of them on the main
   * thread; a profile of a pull showed it between the manifest request and its answer.
   */
  private static final Set<String> REGISTRY = Set.of("push", "pull", "copy", "login");

  private StartupWarmup() {}

  static boolean helps(String command) {
    return !NOT_HELPED.contains(command);
  }

  static void start(String command) {
    boolean libc = !NO_LIBC.contains(command);
    boolean registry = REGISTRY.contains(command);
    Class<?> type = Subcommands.ALL.get(command);
    Thread warmup =
        new Thread(
            () -> {
              if (type != null) {
                annotationProxies(type);
              }
              run(libc, registry);
            },
            "hoist-startup-warmup");
    warmup.setDaemon(true);
    warmup.start();
  }

  /**
   * Reads the annotations picocli is about to read on the main thread. The JDK makes the first
   * instance of each annotation type through a proxy class it generates and defines at run time
   * (about 5 ms each before the JIT has compiled the generator); picocli needs nine of them
   * (Option, Parameters, Spec, ParentCommand... and the JDK's own on Object's methods, which it
   * scans), a sixth of a cached build's main thread in a profile. Generated here first, the main
   * thread finds them ready; the main thread starts with the root command's, so this goes from the
   * subcommand's fields on.
   */
  private static void annotationProxies(Class<?> command) {
    try {
      for (Field f : command.getDeclaredFields()) {
        f.getAnnotations();
      }
      for (Method m : Object.class.getDeclaredMethods()) {
        m.getAnnotations();
      }
    } catch (RuntimeException e) {
      // picocli reads the same annotations and reports what fails
    }
  }

  private static void run(boolean libc, boolean registry) {
    try {
      if (registry) {
        Security.getProviders();
      }
      // The first SHA-256 digest loads the SUN provider (a profile's 4% of a cached build).
      MessageDigest.getInstance("SHA-256");
      new ObjectMapper();
      Reference.parse("localhost/warmup:latest");
      if (libc) {
        Posix.lgetxattr(Path.of("/"), "user.hoist.warmup");
      }
    } catch (Throwable e) {
      // Nothing to report: the command itself makes these calls and reports what fails. This
      // includes errors: a command that ends while jnr-ffi still loads its library here makes
      // that load fail with an UnsatisfiedLinkError ("Shutdown in progress"), which must not
      // reach the terminal as a stack trace.
    }
  }
}
