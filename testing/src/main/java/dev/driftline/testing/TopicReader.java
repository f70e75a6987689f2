package dev.driftline.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic as a read_committed consumer would, for assertions. Every record read is
 * checked against its JSON Schema ({@link TopicSchemas#check}): a record that does not match fails
 * the test that read it.
 */
public final class TopicReader {
  private TopicReader() {}

  /** Every committed record of {@code topic}, waiting until {@code expected} arrived or 30 s passed. */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, int expected) {
    return read(bootstrap, topic, expected, true);
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
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 30_000;
      int quietPolls = 0;
      // Past the expected count, keep polling briefly so that extra (duplicate) records show up too.
      while (System.currentTimeMillis() < deadline && (out.size() < expected || quietPolls < 4)) {
        var records = consumer.poll(Duration.ofMillis(250));
        quietPolls = records.isEmpty() ? quietPolls + 1 : 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
          if (check) {
            TopicSchemas.check(r);
          }
          out.add(r);
        }
      }
    }
    return out;
  }
}
