package dev.hoist.builder.dockerfile;

/**
 * Lines {@code start..end} (1-based, inclusive) of a Dockerfile. Continuation lines, comments
 * inside a continuation and heredoc bodies belong to the instruction they are part of.
 */
public record SourceRange(int start, int end) {
  public SourceRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad line range " + start + ".." + end);
    }
  }

  public static SourceRange line(int line) {
    return new SourceRange(line, line);
  }

  @Override
  public String toString() {
    return start == end ? Integer.toString(start) : start + "-" + end;
  }
}
