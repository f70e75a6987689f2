package dev.driftline.runtime.kafka;

import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.KafkaSourceOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka sources for the jobs: raw records that a decode step turns into values or dead letters.
 * Every source reads committed data only ({@code read_committed}) and commits its offsets to the
 * group at each completed checkpoint; where a fresh job starts is a {@link StartFrom}.
 */
public final class KafkaSources {
  private KafkaSources() {}

  /** A job's source: unbounded, or with {@code bounded} stopping at the offsets that are latest at start. */
  public static KafkaSource<RawRecord> forJob(KafkaConfig config, List<String> topics, String groupId,
      StartFrom start, boolean bounded) {
    return bounded ? rawBounded(config, topics, groupId, start) : raw(config, topics, groupId, start);
  }

  /** An unbounded source starting at the group's committed offsets (earliest for a new group). */
  public static KafkaSource<RawRecord> raw(KafkaConfig config, List<String> topics, String groupId) {
    return raw(config, topics, groupId, StartFrom.COMMITTED);
  }

  /** An unbounded source of raw records from {@code topics}; a fresh start begins at {@code start}. */
  public static KafkaSource<RawRecord> raw(KafkaConfig config, List<String> topics, String groupId, StartFrom start) {
    return builder(config, topics, groupId, start).setProperty("partition.discovery.interval.ms", "30000").build();
  }

  /** As {@link #raw}, but stops at the offsets that are latest when the job starts (for tests and replays). */
  public static KafkaSource<RawRecord> rawBounded(KafkaConfig config, List<String> topics, String groupId) {
    return rawBounded(config, topics, groupId, StartFrom.COMMITTED);
  }

  /** As {@link #raw(KafkaConfig, List, String, StartFrom)}, stopping at the offsets that are latest at start. */
  public static KafkaSource<RawRecord> rawBounded(KafkaConfig config, List<String> topics, String groupId, StartFrom start) {
    return builder(config, topics, groupId, start).setBounded(OffsetsInitializer.latest()).build();
  }

  /**
   * As {@link #rawBounded(KafkaConfig, List, String)}, stopping at fixed offsets per partition; the
   * offsets travel in the splits' state, so a job restored from a savepoint of this source stops there
   * too (savepoint fixtures record half an input and restore to read the rest).
   */
  public static KafkaSource<RawRecord> rawUntil(KafkaConfig config, List<String> topics, String groupId,
      Map<TopicPartition, Long> stoppingOffsets) {
    return builder(config, topics, groupId, StartFrom.COMMITTED).setBounded(OffsetsInitializer.offsets(stoppingOffsets)).build();
  }

  /**
   * As {@link #rawBounded(KafkaConfig, List, String)} with another deserializer, e.g. one that
   * wraps {@link RawRecordDeserializer} to observe what is read (the benchmark's latency probe).
   */
  public static KafkaSource<RawRecord> rawBounded(KafkaConfig config, List<String> topics, String groupId,
      KafkaRecordDeserializationSchema<RawRecord> deserializer) {
    return builder(config, topics, groupId, StartFrom.COMMITTED).setDeserializer(deserializer)
        .setBounded(OffsetsInitializer.latest()).build();
  }

  private static KafkaSourceBuilder<RawRecord> builder(KafkaConfig config, List<String> topics, String groupId, StartFrom start) {
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("Kafka source: expected at least one topic");
    }
    return KafkaSource.<RawRecord>builder()
        .setProperties(config.clientProperties())
        .setBootstrapServers(config.bootstrapServers())
        .setTopics(topics)
        .setGroupId(groupId)
        .setStartingOffsets(start.offsets())
        .setProperty("isolation.level", "read_committed")
        // Not every Kafka consumer metric mirrored into Flink's: the connector registers them by bare
        // name in one group, and the consumer has many names twice (per client and per topic or
        // node), so each reader logged a page of "Name collision" warnings and kept only the first.
        // The reader's own metrics (offsets, commits, bytes in, records lag) stay.
        .setProperty(KafkaSourceOptions.REGISTER_KAFKA_CONSUMER_METRICS.key(), "false")
        .setDeserializer(new RawRecordDeserializer());
  }
}
