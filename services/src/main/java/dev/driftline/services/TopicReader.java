package dev.driftline.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic as a read_committed consumer would, for assertions. Every record read is
 * checked against its JSON Schema ({@link TopicSchemas#check}): a record that does not match fails
 * the test that read it.
 */
public final class TopicReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TopicReader() {}

  /**
   * Every committed record of {@code topic}: waits until {@code expected} arrived (at most 60 s),
   * then reads on to the end the topic had then.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, int expected) {
    return read(bootstrap, topic, expected, true);
  }

  /** As {@link #readAll}, each record's value read as JSON. */
  public static List<JsonNode> readAllJson(String bootstrap, String topic, int expected) {
    List<JsonNode> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, topic, expected)) {
      try {
        out.add(MAPPER.readTree(r.value()));
      } catch (IOException e) {
        throw new UncheckedIOException(topic + " offset " + r.offset() + ": not JSON: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * As {@link #readAll}, without the schema check: for an input topic that holds records made
   * malformed on purpose, which the caller checks itself.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readAllUnchecked(String bootstrap, String topic, int expected) {
    return read(bootstrap, topic, expected, false);
  }

  private static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic, int expected, boolean check) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      long deadline = System.currentTimeMillis() + 60_000;
      List<TopicPartition> partitions = partitions(consumer, topic, expected == 0 ? 0 : deadline);
      if (partitions.isEmpty()) {
        return out; // no such topic (yet): nothing committed to it
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = null;
      // Until the expected count has arrived; then to the committed end of every partition as of
      // that moment, so that extra (duplicate) records written by then show up too. An end, not a
      // quiet spell: a slow fetch on a busy machine does not cut the read short.
      while (System.currentTimeMillis() < deadline) {
        if (end == null && out.size() >= expected) {
          end = consumer.endOffsets(partitions);
        }
        if (end != null && reached(consumer, end)) {
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          if (check) {
            TopicSchemas.check(r);
          }
          out.add(r);
        }
      }
    }
    return out;
  }

  /** The topic's partitions, asking until {@code deadline}; none when it does not exist by then. */
  private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic, long deadline) {
    while (true) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      }
      if (System.currentTimeMillis() >= deadline) {
        return List.of();
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
