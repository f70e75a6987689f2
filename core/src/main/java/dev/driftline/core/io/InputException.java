package dev.driftline.core.io;

/** An input file or value that cannot be used; the message is one line that says where and why. */
public final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }
}
