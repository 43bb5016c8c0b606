package dev.hoist.store.archive;

import java.io.IOException;
import java.nio.file.Path;

/** An archive that cannot be loaded: what is wrong, in which file, and what to do. */
public final class ArchiveException extends IOException {
  private static final long serialVersionUID = 1L;

  public ArchiveException(Path archive, String what) {
    super("archive " + archive + ": " + what);
  }

  public ArchiveException(Path archive, String what, Throwable cause) {
    super("archive " + archive + ": " + what, cause);
  }
}
