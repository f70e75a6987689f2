package dev.driftline.core.io;

import java.io.Serializable;
import java.util.Objects;

/**
 * The outcome of decoding one input record: a value, or the one-line reason it cannot be used
 * (which becomes a dead letter; a decoder never throws for bad input).
 */
public final class Decoded<T> {
  private final T value;
  private final String error;

  private Decoded(T value, String error) {
    this.value = value;
    this.error = error;
  }

  public static <T> Decoded<T> ok(T value) {
    return new Decoded<>(Objects.requireNonNull(value), null);
  }

  public static <T> Decoded<T> error(String reason) {
    return new Decoded<>(null, Objects.requireNonNull(reason));
  }

  public boolean isOk() {
    return error == null;
  }

  public T value() {
    if (error != null) {
      throw new IllegalStateException("no value: " + error);
    }
    return value;
  }

  public String error() {
    return error;
  }

  /** Turns bytes into values; implementations are serializable so Flink operators can hold them. */
  @FunctionalInterface
  public interface Decoder<T> extends Serializable {
    /** Never throws for bad input: returns {@link Decoded#error} with the reason instead. */
    Decoded<T> decode(byte[] bytes);
  }

  @Override
  public String toString() {
    return isOk() ? "Decoded[" + value + "]" : "Decoded[error: " + error + "]";
  }
}
