package dev.hoist.builder.build;

import java.io.IOException;

/** A build that failed at a step: the message names the Dockerfile line and what went wrong. */
public final class BuildException extends IOException {
  private static final long serialVersionUID = 1L;

  public BuildException(String message) {
    super(message);
  }

  public BuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
