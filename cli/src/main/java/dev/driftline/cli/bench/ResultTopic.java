package dev.driftline.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Json;
import dev.driftline.runtime.kafka.KafkaConfig;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a finished run's window results (committed ones only) for their latency. */
final class ResultTopic {
  /** Reading gives up after this long without a record (a run with many models writes millions). */
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private ResultTopic() {}

  /**
   * What a run wrote to its results topic: per (model, window end) the earliest {@code computed_at},
   * and how many distinct (model, segment, window, feature) it has results for (null for results
   * without features).
   */
  record Read(List<Latency.FirstResult> firstResults, Long featureWindows) {}

  /** Reads the committed results of {@code topic}. */
  static Read read(KafkaConfig kafka, String topic) throws IOException {
    Properties p = kafka.clientProperties();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    Map<String, Latency.FirstResult> first = new HashMap<>();
    Set<String> featureWindows = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!caughtUp(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new IOException(topic + ": no result read for " + TIMEOUT.toSeconds() + " s before the end");
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          deadline = System.nanoTime() + TIMEOUT.toNanos();
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
          JsonNode n = Json.mapper().readTree(r.value());
          String model = n.path("model_id").asText();
          long windowEnd = Instant.parse(n.path("window_end").asText()).toEpochMilli();
          long computedAt = Instant.parse(n.path("computed_at").asText()).toEpochMilli();
          if (n.has("feature")) {
            featureWindows.add(model + "|" + n.path("segment").asText() + "|" + windowEnd + "|" + n.path("feature").asText());
          }
          first.merge(model + "|" + windowEnd, new Latency.FirstResult(model, windowEnd, computedAt),
              (a, b) -> a.computedAt() <= b.computedAt() ? a : b);
        }
      }
    }
    return new Read(new ArrayList<>(first.values()), featureWindows.isEmpty() ? null : (long) featureWindows.size());
  }

  private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
