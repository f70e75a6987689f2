package dev.driftline.connectors.kafka;

import java.util.List;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Kafka sources for the jobs: raw records that a decode step turns into values or dead letters. */
public final class KafkaSources {
  private KafkaSources() {}

  /**
   * An unbounded source of raw records from {@code topics}, reading committed data only, starting
   * at the group's committed offsets (earliest for a new group).
   */
  public static KafkaSource<RawRecord> raw(KafkaConfig config, List<String> topics, String groupId) {
    return builder(config, topics, groupId).setProperty("partition.discovery.interval.ms", "30000").build();
  }

  /** As {@link #raw}, but stops at the offsets that are latest when the job starts (for tests and replays). */
  public static KafkaSource<RawRecord> rawBounded(KafkaConfig config, List<String> topics, String groupId) {
    return rawBounded(config, topics, groupId, new RawRecordDeserializer());
  }

  /**
   * As {@link #rawBounded(KafkaConfig, List, String)} with another deserializer, e.g. one that
   * wraps {@link RawRecordDeserializer} to observe what is read (the benchmark's latency probe).
   */
  public static KafkaSource<RawRecord> rawBounded(KafkaConfig config, List<String> topics, String groupId,
      KafkaRecordDeserializationSchema<RawRecord> deserializer) {
    return builder(config, topics, groupId).setDeserializer(deserializer).setBounded(OffsetsInitializer.latest()).build();
  }

  private static KafkaSourceBuilder<RawRecord> builder(KafkaConfig config, List<String> topics, String groupId) {
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("Kafka source: expected at least one topic");
    }
    return KafkaSource.<RawRecord>builder()
        .setProperties(config.clientProperties())
        .setBootstrapServers(config.bootstrapServers())
        .setTopics(topics)
        .setGroupId(groupId)
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setProperty("isolation.level", "read_committed")
        .setDeserializer(new RawRecordDeserializer());
  }
}
