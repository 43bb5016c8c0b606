package dev.hoist.registry;

import java.util.concurrent.TimeUnit;
import okhttp3.Connection;
import okhttp3.Interceptor;

/**
 * Plain-HTTP responses are read with the socket's own timeout ({@code SO_TIMEOUT}) instead of
 * okio's watchdog; the failure is the same, a {@link java.net.SocketTimeoutException} when one read
 * waits longer than the client's read timeout.
 *
 * <p>Why: okio arms and disarms its watchdog's timer around every read from the socket, which is at
 * most 8 KiB: a lock that every connection shares, and often a wake-up of the watchdog thread. With
 * six blobs streaming at once that was ~7% of a 200 MB pull's CPU (1.06 -&gt; 1.00 s). The kernel's
 * timeout costs nothing per read. HTTPS is left to okhttp: there it may speak HTTP/2, whose streams
 * share one socket, and TLS costs far more than the timer.
 */
final class SocketReadTimeout {
  private SocketReadTimeout() {}

  /** Application interceptor: no okio read timeout for a plain-HTTP call. */
  static Interceptor withoutWatchdog() {
    return chain ->
        chain.request().isHttps()
            ? chain.proceed(chain.request())
            : chain.withReadTimeout(0, TimeUnit.MILLISECONDS).proceed(chain.request());
  }

  /**
   * Network interceptor: the socket of a plain-HTTP exchange times out reads after {@code millis}
   * (okhttp has just set it to the call's read timeout, 0).
   */
  static Interceptor onSocket(int millis) {
    return chain -> {
      Connection c = chain.connection();
      if (c != null && !chain.request().isHttps()) {
        c.socket().setSoTimeout(millis);
      }
      return chain.proceed(chain.request());
    };
  }
}
