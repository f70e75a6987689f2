package dev.driftline.runtime.kafka;

import dev.driftline.runtime.deadletter.DeadLetter;
import java.util.Arrays;

/**
 * A Kafka record exactly as it arrived: reading never fails, so decoding problems become dead
 * letters with the original bytes instead of failing the source.
 *
 * @param key null when the record had none
 * @param value null for a tombstone
 * @param schema the record's {@code driftline-schema} header ({@code drift-result/1}), null when it
 *     has none (producers outside Driftline need not set it)
 */
public record RawRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
    String schema) {

  /** A record without a schema header. */
  public RawRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    this(topic, partition, offset, timestamp, key, value, null);
  }

  /** The dead letter of this record: its whole key and value, its position and timestamp. */
  public DeadLetter deadLetter(String stage, String reason) {
    return deadLetter(stage, reason, Integer.MAX_VALUE);
  }

  /**
   * The dead letter of this record, keeping at most the first {@code keptValueBytes} bytes of its
   * value (and the value's whole length).
   */
  public DeadLetter deadLetter(String stage, String reason, int keptValueBytes) {
    byte[] kept = value == null || value.length <= keptValueBytes ? value : Arrays.copyOf(value, keptValueBytes);
    return new DeadLetter(stage, reason, topic, partition, offset, key, kept, timestamp, System.currentTimeMillis(),
        value == null ? -1 : value.length);
  }
}
