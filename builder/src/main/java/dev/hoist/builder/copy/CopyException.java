package dev.hoist.builder.copy;

import java.io.IOException;

/**
 * A COPY or ADD that cannot be done, with a one-line message that starts with the instruction's
 * location: {@code Dockerfile:7: COPY failed: file not found in build context or excluded by
 * .dockerignore: "app.jar"}.
 */
public class CopyException extends IOException {
  private static final long serialVersionUID = 1L;

  public CopyException(String message) {
    super(message);
  }

  public CopyException(String message, Throwable cause) {
    super(message, cause);
  }

  static CopyException of(CopySpec spec, String what) {
    return new CopyException(spec.location() + ": " + spec.keyword() + " failed: " + what);
  }

  static CopyException of(CopySpec spec, String what, Throwable cause) {
    return new CopyException(spec.location() + ": " + spec.keyword() + " failed: " + what, cause);
  }
}
