package dev.hoist.builder.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** One-line descriptions of failures, for people rather than for stack traces. */
final class Failures {
  private Failures() {}

  static String describe(Throwable e) {
    if (e instanceof NoSuchFileException f) {
      return "no such file or directory: " + f.getFile();
    }
    if (e instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile() + " (run as root or pick another --root)";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getFile() + ": " + f.getReason();
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      Throwable cause = e.getCause();
      return cause != null && cause != e
          ? describe(cause)
          : e.getClass().getSimpleName() + " (run with --debug for details)";
    }
    return message.lines().findFirst().orElse(message);
  }
}
