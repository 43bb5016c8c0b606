package dev.hoist.builder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.image.Digest;
import dev.hoist.image.Reference;
import dev.hoist.registry.ClientWarmup;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Set;

/**
 * Starts, on two background threads, the set-up that every store or registry command waits for the
 * first time in a JVM, while the main thread parses the command line: the annotation proxies
 * picocli reads, Jackson's ObjectMapper (its static initialiser builds locale-aware date formats),
 * the image model, okhttp's static set-up for registry commands, and the native bindings (OpenSSL's
 * SHA-256 and libc through jnr-ffi). Only a head start: the main thread waits for a class
 * initialiser still running and otherwise does the same work itself.
 */
final class StartupWarmup {
  /** Commands that read no JSON and make no libc calls. */
  private static final Set<String> NOT_HELPED = Set.of("version", "lint", "debug", "logout");

  /**
   * Commands that read JSON but make no libc calls (they move blobs, never file trees): binding
   * libc for them was ~10% of a 200 MB push's or pull's CPU (perf), spent for nothing.
   */
  private static final Set<String> NO_LIBC = Set.of("push", "pull");

  /** Commands that talk to a registry (see {@link ClientWarmup}). */
  private static final Set<String> REGISTRY = Set.of("push", "pull", "copy", "login");

  private StartupWarmup() {}

  static boolean helps(String command) {
    return !NOT_HELPED.contains(command);
  }

  static void start(String command) {
    boolean libc = !NO_LIBC.contains(command);
    boolean registry = REGISTRY.contains(command);
    Class<?> type = Subcommands.ALL.get(command);
    // Three threads, each in the order the main thread needs its part: the annotation proxies
    // picocli needs at once; Jackson (the store's index comes right after the command line), the
    // model and okhttp; and jnr-ffi's first binding (~40 ms: its provider, jffi's native stub,
    // OpenSSL's and libc's symbols).
    if (type != null) {
      thread("hoist-annotation-warmup", () -> annotationProxies(type));
    }
    thread("hoist-startup-warmup", () -> model(registry));
    thread("hoist-native-warmup", () -> natives(libc));
  }

  private static void thread(String name, Runnable work) {
    Thread t = new Thread(work, name);
    t.setDaemon(true);
    t.start();
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

  /** JSON (the store's index), the image model, the registry client's set-up. */
  private static void model(boolean registry) {
    try {
      new ObjectMapper();
      Reference.parse("localhost/warmup:latest");
      if (registry) {
        ClientWarmup.run();
      }
    } catch (RuntimeException e) {
      // Nothing to report: the command itself makes these calls and reports what fails.
    }
  }

  /** SHA-256 (which binds OpenSSL, or loads the JDK's provider) and libc. */
  private static void natives(boolean libc) {
    try {
      Digest.newMessageDigest(Digest.SHA256);
      if (libc) {
        Posix.lgetxattr(Path.of("/"), "user.hoist.warmup");
      }
    } catch (IOException | RuntimeException | LinkageError e) {
      // Nothing to report: the command itself makes these calls and reports what fails. This
      // includes linkage errors: a command that ends while jnr-ffi still loads its library here
      // makes that load fail with an UnsatisfiedLinkError ("Shutdown in progress"), which must
      // not reach the terminal as a stack trace.
    }
  }
}
