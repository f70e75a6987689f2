package dev.driftline.core.spec;

/**
 * A monitor spec or feature view that cannot be used. The message is one line for a person:
 * {@code monitor.yaml: features[3].type: expected one of numeric|categorical, got "float"}.
 */
public final class SpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SpecException(String message) {
    super(message);
  }
}
