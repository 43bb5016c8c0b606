package dev.hoist.builder.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/** One-line descriptions of failures, for people rather than for stack traces. */
final class Failures {
  private Failures() {}

  /** strerror(3) of ENOSPC and EDQUOT, as the JDK puts them in an IOException's message. */
  private static final List<String> FULL =
      List.of("No space left on device", "Disk quota exceeded");

  static String describe(Throwable e) {
    String line = line(e);
    if (diskFull(e) && !line.contains("free space")) {
      return line + " (free space on that filesystem and run the command again)";
    }
    return line;
  }

  /** Whether {@code e} or a cause is a full disk or quota: retrying alone will not help. */
  static boolean diskFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      if (m != null && FULL.stream().anyMatch(m::contains)) {
        return true;
      }
    }
    return false;
  }

  private static String line(Throwable e) {
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
          ? line(cause)
          : e.getClass().getSimpleName() + " (run with --debug for details)";
    }
    return message.lines().findFirst().orElse(message);
  }
}
