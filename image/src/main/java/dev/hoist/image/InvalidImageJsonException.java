package dev.hoist.image;

/** A manifest, index or config whose JSON does not have the shape the specs require. */
public final class InvalidImageJsonException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidImageJsonException(String message) {
    super(message);
  }

  public InvalidImageJsonException(String message, Throwable cause) {
    super(message, cause);
  }
}
