package dev.driftline.core.spec;

import java.io.Serializable;

import java.time.Duration;

/**
 * Event-time windows over prediction time.
 *
 * @param slide equal to {@code size} for tumbling windows
 * @param allowedLateness how long after the watermark passes a window's end late records still
 *     update it
 * @param maxOutOfOrderness watermark bound: how far behind the newest event a record may arrive
 * @param idleTimeout a source partition silent this long stops holding back the watermark
 */
public record WindowSpec(
    Duration size,
    Duration slide,
    Duration allowedLateness,
    Duration maxOutOfOrderness,
    Duration idleTimeout) implements Serializable {

  public boolean isTumbling() {
    return size.equals(slide);
  }
}
