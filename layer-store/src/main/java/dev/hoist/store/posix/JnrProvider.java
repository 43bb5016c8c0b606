package dev.hoist.store.posix;

import java.util.Locale;
import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.provider.FFIProvider;

/**
 * jnr-ffi's own provider, named to jnr through {@code jnr.ffi.provider} together with the {@link
 * Platform} it should use, so that jnr finds both in hoist's first jar.
 *
 * <p>Why: jnr looks its platform up as the class {@code <jnr.ffi.provider>$Platform} before it
 * falls back to its built-in ones. With the property unset that is {@code null$Platform}, a class
 * that exists nowhere, and the class loader opens every jar on the class path to be sure (60 ms at
 * every start, on the thread that binds OpenSSL's SHA-256, which a pull waits for). This class and
 * its {@code Platform} are found at once.
 */
public final class JnrProvider extends FFIProvider {
  private final FFIProvider jffi = new jnr.ffi.provider.jffi.Provider();

  /** Called by jnr through reflection. */
  public JnrProvider() {}

  /** Makes jnr use this provider, on the Linux systems whose platform it describes. */
  static void install() {
    if (System.getProperty("jnr.ffi.provider") == null && Platform.cpu().isPresent()) {
      System.setProperty("jnr.ffi.provider", JnrProvider.class.getName());
    }
  }

  @Override
  public Runtime getRuntime() {
    return jffi.getRuntime();
  }

  @Override
  public <T> LibraryLoader<T> createLibraryLoader(Class<T> interfaceClass) {
    return jffi.createLibraryLoader(interfaceClass);
  }

  /** Linux on x86-64 or arm64, as jnr's own Linux platform describes it. */
  public static final class Platform extends jnr.ffi.Platform {
    /** Called by jnr through reflection. */
    public Platform() {
      super(OS.LINUX, cpu().orElseThrow(), 64, 64, "lib.*\\.so.*$");
    }

    static Optional<CPU> cpu() {
      if (!System.getProperty("os.name", "").startsWith("Linux")) {
        return Optional.empty();
      }
      return switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
        case "amd64", "x86_64" -> Optional.of(CPU.X86_64);
        case "aarch64" -> Optional.of(CPU.AARCH64);
        default -> Optional.empty();
      };
    }

    /** {@code c} is {@code libc.so.6}: glibc's {@code libc.so} is a linker script. */
    @Override
    public String mapLibraryName(String libName) {
      return libName.equals("c") || libName.equals("libc.so")
          ? "libc.so.6"
          : super.mapLibraryName(libName);
    }
  }
}
