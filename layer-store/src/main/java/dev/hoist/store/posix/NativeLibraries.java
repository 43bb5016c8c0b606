package dev.hoist.store.posix;

/** How hoist binds native libraries with jnr-ffi: one place for the binding mode. */
public final class NativeLibraries {
  private NativeLibraries() {}

  /**
   * Binds {@code api} to the library {@code name} (a name such as {@code c}, or an absolute path).
   *
   * <p>jnr-ffi's default binds a whole interface at load time through classes it generates with
   * ASM: ~0.1 s of CPU at every start, which a fully cached build's main thread waited for. Its
   * reflective binding makes each function's invoker on first call instead; per call it is a little
   * slower, which the 20k-file COPY benchmark does not show. jnr finds its platform in hoist's jar
   * ({@link JnrProvider}).
   */
  public static <T> T load(Class<T> api, String name) {
    configure();
    return jnr.ffi.LibraryLoader.create(api).load(name);
  }

  private static synchronized void configure() {
    if (System.getProperty("jnr.ffi.asm.enabled") == null) {
      System.setProperty("jnr.ffi.asm.enabled", "false");
    }
    JnrProvider.install();
  }
}
