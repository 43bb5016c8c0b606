package dev.hoist.store;

import java.io.IOException;

/** A name, id or digest that names no image of the store, or more than one. */
public final class NoSuchImageException extends IOException {
  private static final long serialVersionUID = 1L;

  public NoSuchImageException(String message) {
    super(message);
  }
}
