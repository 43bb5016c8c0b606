package dev.hoist.builder.dockerfile;

import java.util.Objects;

/**
 * A Dockerfile that cannot be parsed or planned. Its message is one line, {@code Dockerfile:N: what
 * is wrong}, naming the file and the first line of the offending instruction; {@link #range()} has
 * the whole range.
 */
public final class DockerfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String fileName;
  private final transient SourceRange range;
  private final String detail;

  public DockerfileException(String fileName, SourceRange range, String detail) {
    super(
        Objects.requireNonNull(fileName, "fileName")
            + ":"
            + range.start()
            + ": "
            + oneLine(detail));
    this.fileName = fileName;
    this.range = range;
    this.detail = oneLine(detail);
  }

  /** The file as the user named it, e.g. {@code Dockerfile} or {@code build/Dockerfile.dev}. */
  public String fileName() {
    return fileName;
  }

  public SourceRange range() {
    return range;
  }

  /** What is wrong, without the location. */
  public String detail() {
    return detail;
  }

  private static String oneLine(String s) {
    Objects.requireNonNull(s, "detail");
    return s.replace("\r", "\\r").replace("\n", "\\n");
  }
}
