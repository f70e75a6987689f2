package dev.driftline.runtime.kafka;

import dev.driftline.runtime.deadletter.DeadLetter;

/**
 * A decoded value with the Kafka record it was decoded from, for a step after decoding that may
 * still refuse the value (a label without its prediction, a duplicate): its dead letter then keeps
 * the original bytes and source position, as a decode step's does. Immutable; the record's arrays
 * are never written to.
 *
 * @param source the record as it arrived, or null when it is not known (state written by a version
 *     that did not keep it)
 */
public record Sourced<T>(T value, RawRecord source) {
  /**
   * The dead letter of this value: the source record's bytes and position, or, when the source is
   * not known, {@code key} and {@code value} (the value as it is now) without a position.
   */
  public DeadLetter deadLetter(String stage, String reason, byte[] key, byte[] value, long timestamp) {
    return source != null ? source.deadLetter(stage, reason)
        : new DeadLetter(stage, reason, null, -1, -1, key, value, timestamp, System.currentTimeMillis());
  }
}
