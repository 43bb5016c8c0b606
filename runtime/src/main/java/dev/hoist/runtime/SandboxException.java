package dev.hoist.runtime;

import java.io.IOException;

/** The sandbox could not set up or run a step; the message is one line saying what to do. */
public class SandboxException extends IOException {
  private static final long serialVersionUID = 1L;

  public SandboxException(String message) {
    super(message);
  }

  public SandboxException(String message, Throwable cause) {
    super(message, cause);
  }
}
