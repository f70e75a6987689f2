package dev.driftline.connectors.kafka;

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
}
