package dev.driftline.core.spec;

import java.io.Serializable;

import java.time.Duration;

/**
 * Windows over prediction time: event-time windows of a fixed duration ({@link Type#TIME}), or
 * windows of a fixed number of predictions per (model, segment) taken in (event time, prediction
 * id) order ({@link Type#COUNT}).
 *
 * @param size time windows only (null for count windows)
 * @param slide time windows only, equal to {@code size} for tumbling windows (null for count windows)
 * @param count count windows only: predictions per window, at least 2 (0 for time windows)
 * @param allowedLateness time windows only: how long after the watermark passes a window's end
 *     late records still update it (zero for count windows, whose late predictions are dropped)
 * @param maxOutOfOrderness watermark bound: how far behind the newest event a record may arrive
 * @param idleTimeout a source partition silent this long stops holding back the watermark
 */
public record WindowSpec(
    Type type,
    Duration size,
    Duration slide,
    long count,
    Duration allowedLateness,
    Duration maxOutOfOrderness,
    Duration idleTimeout) implements Serializable {

  /** How a window is delimited. */
  public enum Type {
    TIME, COUNT;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A time window. */
  public WindowSpec(Duration size, Duration slide, Duration allowedLateness, Duration maxOutOfOrderness,
      Duration idleTimeout) {
    this(Type.TIME, size, slide, 0, allowedLateness, maxOutOfOrderness, idleTimeout);
  }

  /** A count window of {@code count} predictions. */
  public static WindowSpec ofCount(long count, Duration maxOutOfOrderness, Duration idleTimeout) {
    return new WindowSpec(Type.COUNT, null, null, count, Duration.ZERO, maxOutOfOrderness, idleTimeout);
  }

  public boolean isCount() {
    return type == Type.COUNT;
  }

  public boolean isTumbling() {
    return type == Type.TIME && size.equals(slide);
  }

  /** A short description for people: {@code PT1H} or {@code 500 predictions}. */
  public String describe() {
    return isCount() ? count + " predictions" : size.toString();
  }
}
