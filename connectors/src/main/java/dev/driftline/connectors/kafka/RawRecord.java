package dev.driftline.connectors.kafka;

/**
 * A Kafka record exactly as it arrived: reading never fails, so decoding problems become dead
 * letters with the original bytes instead of failing the source.
 *
 * @param key null when the record had none
 * @param value null for a tombstone
 */
public record RawRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {}
