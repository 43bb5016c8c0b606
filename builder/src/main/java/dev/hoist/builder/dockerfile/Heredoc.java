package dev.hoist.builder.dockerfile;

import java.util.Objects;

/**
 * A here-document attached to a RUN, COPY or ADD instruction ({@code <<EOF}, {@code <<-EOF}, {@code
 * <<"EOF"}, {@code 3<<EOF}).
 *
 * @param name the delimiter word, quotes removed
 * @param fileDescriptor the number written before {@code <<} (0 when none)
 * @param expand whether variables in the body are expanded (false when the delimiter was quoted)
 * @param chomp {@code <<-}: leading tabs are removed from body lines and the delimiter line
 * @param content the body, every line with its line ending, the delimiter line excluded
 */
public record Heredoc(
    String name, int fileDescriptor, boolean expand, boolean chomp, String content) {
  public Heredoc {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(content, "content");
  }

  /** The body as the command sees it: leading tabs removed from each line with {@code <<-}. */
  public String effectiveContent() {
    return chomp ? content.replaceAll("(?m)^\\t+", "") : content;
  }

  Heredoc withContent(String body) {
    return new Heredoc(name, fileDescriptor, expand, chomp, body);
  }
}
