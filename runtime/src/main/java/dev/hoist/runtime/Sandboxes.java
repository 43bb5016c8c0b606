package dev.hoist.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Picks and creates the sandbox for an {@link Isolation}. */
public final class Sandboxes {
  /** The environment variable naming the OCI runtime binary (default: runc on the PATH). */
  public static final String RUNTIME_ENV = "HOIST_OCI_RUNTIME";

  private Sandboxes() {}

  /**
   * The sandbox for {@code isolation}, its per-step work dirs under {@code workRoot} (the store's
   * {@code .hoist/work}); {@code AUTO} is OCI when the runtime answers, else chroot. Reclaims the
   * work dirs and runtime state that a killed hoist left there.
   */
  public static Sandbox select(Isolation isolation, Path workRoot) throws IOException {
    return select(isolation, workRoot, ociRuntime());
  }

  /** As {@link #select(Isolation, Path)} with an explicit OCI runtime binary. */
  public static Sandbox select(Isolation isolation, Path workRoot, Optional<Path> runtime)
      throws IOException {
    return switch (isolation) {
      case CHROOT -> new NamespaceSandbox(workRoot);
      case OCI ->
          new OciRuntimeSandbox(
              runtime.orElseThrow(
                  () ->
                      new SandboxException(
                          "--isolation oci needs an OCI runtime: install runc or set "
                              + RUNTIME_ENV)),
              workRoot);
      case AUTO ->
          runtime.isPresent() && OciRuntimeSandbox.runtimeVersion(runtime.get()).isPresent()
              ? new OciRuntimeSandbox(runtime.get(), workRoot)
              : new NamespaceSandbox(workRoot);
    };
  }

  /** The OCI runtime binary: {@value #RUNTIME_ENV} if set, else runc found on the usual paths. */
  public static Optional<Path> ociRuntime() {
    String configured = System.getenv(RUNTIME_ENV);
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      return p.isAbsolute() ? Optional.of(p) : HostTools.find(configured);
    }
    return HostTools.find("runc");
  }

  /**
   * A one-line description of what {@code AUTO} would pick here, for {@code hoist version}: e.g.
   * "oci (/usr/sbin/runc, runc version 1.1.5)" or "chroot (no OCI runtime found)".
   */
  public static String describeAuto() {
    Optional<Path> runtime = ociRuntime();
    if (runtime.isPresent()) {
      Optional<String> version = OciRuntimeSandbox.runtimeVersion(runtime.get());
      if (version.isPresent()) {
        return "oci (" + runtime.get() + ", " + version.get() + ")";
      }
    }
    return "chroot (util-linux unshare; no working OCI runtime found)";
  }
}
