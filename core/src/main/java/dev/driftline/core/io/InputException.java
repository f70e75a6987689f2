package dev.driftline.core.io;

/** An input file or value that cannot be used; the message is one line that says where and why. */
public final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  /** Throws an {@code InputException} with {@code message} unless {@code ok}. */
  public static void require(boolean ok, String message) {
    if (!ok) {
      throw new InputException(message);
    }
  }
}
