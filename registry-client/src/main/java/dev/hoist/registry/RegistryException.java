package dev.hoist.registry;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A registry refused or failed a request. The message is one line: what was being done, the
 * request, the registry's answer (status and the distribution spec's error codes) and what to try.
 * Never carries a password or token.
 */
public final class RegistryException extends IOException {
  private static final long serialVersionUID = 1L;

  private final OptionalInt status;
  private final String method;
  private final String url;
  private final List<String> codes;
  private final boolean retryable;

  /**
   * @param status the HTTP status, empty when no answer came (connection refused, TLS failure)
   * @param url the request URL without its query (upload URLs carry state there)
   * @param codes the spec's error codes from the body, e.g. {@code MANIFEST_UNKNOWN}
   * @param retryable whether trying again later may succeed
   */
  public RegistryException(
      String message,
      OptionalInt status,
      String method,
      String url,
      List<String> codes,
      boolean retryable,
      Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.status = Objects.requireNonNull(status, "status");
    this.method = Objects.requireNonNull(method, "method");
    this.url = Objects.requireNonNull(url, "url");
    this.codes = List.copyOf(codes);
    this.retryable = retryable;
  }

  public OptionalInt status() {
    return status;
  }

  public String method() {
    return method;
  }

  public String url() {
    return url;
  }

  /** The spec's error codes the registry sent, e.g. {@code [MANIFEST_UNKNOWN]}; may be empty. */
  public List<String> codes() {
    return codes;
  }

  public boolean hasCode(String code) {
    return codes.contains(code);
  }

  /** Whether the same request may succeed later (timeouts, 429, 5xx, connection errors). */
  public boolean retryable() {
    return retryable;
  }
}
