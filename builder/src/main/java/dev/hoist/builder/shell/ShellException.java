package dev.hoist.builder.shell;

/**
 * A word that cannot be expanded: an unterminated quote, a bad {@code ${...}} substitution, or a
 * {@code ${V:?message}} whose variable is unset. The message is one line.
 */
public final class ShellException extends Exception {
  private static final long serialVersionUID = 1L;

  public ShellException(String message) {
    super(message);
  }
}
