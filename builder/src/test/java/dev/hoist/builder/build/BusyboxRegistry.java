package dev.hoist.builder.build;

import dev.hoist.image.Reference;
import dev.hoist.testkit.LocalRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real plain-HTTP docker-registry serving the busybox base image ({@link
 * BuildFixtures#pushBusybox}) for one test class: register it as a static
 * {@code @RegisterExtension} field; it starts before the class's {@code @BeforeAll} methods and
 * stops after its last test.
 */
final class BusyboxRegistry implements BeforeAllCallback, AfterAllCallback {
  private LocalRegistry registry;
  private Reference busybox;
  private Path work;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    work = Files.createTempDirectory("hoist-busybox-registry-");
    registry = LocalRegistry.startPlain();
    busybox = BuildFixtures.pushBusybox(registry, work);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (registry != null) {
      registry.close();
    }
    // work is what createTempDirectory returned: never empty, never anything but that dir.
    if (work != null && work.getFileName().toString().startsWith("hoist-busybox-registry-")) {
      try (Stream<Path> walk = Files.walk(work)) {
        walk.sorted(Comparator.reverseOrder()).forEach(BusyboxRegistry::delete);
      }
    }
  }

  /** The running registry. */
  LocalRegistry registry() {
    return registry;
  }

  /**
   * {@code hoist --root STORE build --progress plain --build-arg BASE=<busybox> EXTRA... CONTEXT},
   * in this JVM: the build the tests over {@link BuildFixtures#context} run.
   */
  dev.hoist.builder.cli.HoistRunner.Result build(Path store, Path context, String... extra) {
    String[] args = java.util.Arrays.copyOf(extra, extra.length + 1);
    args[extra.length] = context.toString();
    return dev.hoist.builder.cli.HoistRunner.inStore(store, BuildFixtures.buildArgs(busybox, args));
  }

  /** {@code REGISTRY/busybox:latest}, pushed to {@link #registry()}. */
  Reference busybox() {
    return busybox;
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
