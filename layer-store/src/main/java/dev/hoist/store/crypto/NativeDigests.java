package dev.hoist.store.crypto;

import dev.hoist.image.Digest;
import dev.hoist.store.posix.NativeLibraries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * SHA-256 from the system's OpenSSL {@code libcrypto}, made what {@link Digest#newMessageDigest}
 * returns for SHA-256 in this JVM.
 *
 * <p>Why: the JDK hashes SHA-256 at full speed (SHA-NI) only in C2-compiled code. hoist's commands
 * are short and run fastest with the C1 compiler alone (a fully cached build: 0.46 s with C2
 * against 0.37 s without), where the JDK's SHA-256 manages 80 MB/s; OpenSSL hashes at ~1 GB/s from
 * the first byte, about twice the JDK's C2 speed, whatever the JIT does. Without a {@code
 * libcrypto} nothing changes, and the launcher keeps C2 for the JDK's SHA-256. (Not a JCA provider:
 * inserting one makes the JDK load and initialise every other provider first, 50 ms at start.)
 */
public final class NativeDigests {
  private static boolean installed;
  private static volatile boolean unusable;

  private NativeDigests() {}

  /**
   * Uses OpenSSL's SHA-256 from now on when the system has a {@code libcrypto}; the library itself
   * is bound on the first digest. Returns whether it did.
   */
  public static synchronized boolean install() {
    if (!installed) {
      Optional<Path> library = library();
      if (library.isEmpty()) {
        return false;
      }
      Path lib = library.get();
      Digest.useSha256(() -> digest(lib));
      installed = true;
    }
    return true;
  }

  /** The system's libcrypto (OpenSSL 3, or 1.1 with the same functions), if it has one. */
  static Optional<Path> library() {
    String arch = System.getProperty("os.arch");
    String triplet = (arch.equals("amd64") ? "x86_64" : arch) + "-linux-gnu";
    // The launcher looks in the same places (have_libcrypto in ./hoist).
    for (String dir :
        List.of("/usr/lib/" + triplet, "/lib/" + triplet, "/usr/lib64", "/lib64", "/usr/lib")) {
      for (String file : List.of("libcrypto.so.3", "libcrypto.so.1.1")) {
        Path p = Path.of(dir, file);
        if (Files.isRegularFile(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** A native digest, or the JDK's when the library cannot be bound after all. */
  private static MessageDigest digest(Path library) {
    if (!unusable) {
      try {
        return new NativeSha256(Binding.crypto(library));
      } catch (RuntimeException | LinkageError e) {
        unusable = true;
      }
    }
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("the JDK lacks SHA-256", impossible);
    }
  }

  /** The binding, made once, on the first digest. */
  private static final class Binding {
    private static volatile LibCrypto crypto;

    static LibCrypto crypto(Path library) {
      LibCrypto c = crypto;
      if (c == null) {
        synchronized (Binding.class) {
          c = crypto;
          if (c == null) {
            c = NativeLibraries.load(LibCrypto.class, library.toString());
            crypto = c;
          }
        }
      }
      return c;
    }
  }
}
