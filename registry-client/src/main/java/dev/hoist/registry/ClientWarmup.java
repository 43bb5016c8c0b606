package dev.hoist.registry;

import java.security.Security;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;

/**
 * The one-time set-up of okhttp that a registry command's first request waits for, done ahead on
 * another thread while the CLI parses its command line. In a profile of a pull, the main thread
 * spent a third of its time here: okhttp's connection pool and task runner (their static
 * initialisers), URL host parsing, and the security providers okhttp lists on its first call (to
 * see whether Conscrypt comes first), which loads and initialises a dozen of them.
 */
public final class ClientWarmup {
  private ClientWarmup() {}

  /** Runs okhttp's static set-up on the calling thread; failures are left to the real calls. */
  public static void run() {
    try {
      Security.getProviders();
      new ConnectionPool();
      HttpUrl.get("http://127.0.0.1:5000/v2/");
    } catch (RuntimeException e) {
      // the command's own requests make the same calls and report what fails
    }
  }
}
