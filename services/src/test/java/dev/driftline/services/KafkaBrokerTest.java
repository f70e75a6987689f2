package dev.driftline.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class KafkaBrokerTest {
  /** The suite's brokers run on the client compiler (the build sets ServiceLocations.QUICK_WORKERS). */
  @Test
  void theSuitesBrokersRunOnTheClientCompiler() throws Exception {
    assertThat(KafkaBroker.java(Path.of("log4j2.properties"))).contains(ServiceLocations.QUICK_START);
    String running = Files.readString(Path.of("/proc", Long.toString(KafkaExtension.broker().pid()), "cmdline"));
    assertThat(List.of(running.split("\0"))).contains(ServiceLocations.QUICK_START);
  }

  /** The test producers say so when the broker did not get a record, instead of a test expecting it. */
  @Test
  void aTestProducerFailsOnCloseWhenARecordWasNotDelivered() {
    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(1, "checked-test");
    assertThatThrownBy(() -> {
      try (KafkaProducer<byte[], byte[]> producer = broker.bytesProducer(2_000)) {
        producer.send(new ProducerRecord<>("checked-test", new byte[10]));
        producer.send(new ProducerRecord<>("checked-test", new byte[5_000]));
        producer.send(new ProducerRecord<>("checked-test", new byte[6_000]));
      }
    }).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("2 records were not delivered to Kafka, first: ")
        .hasMessageContaining("RecordTooLargeException");
  }

  @Test
  void readCommittedConsumerSeesCommittedTransactionsOnly() {
    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(1, "tx-test");

    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test-producer");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx-test", "k", "committed-1"));
      producer.send(new ProducerRecord<>("tx-test", "k", "committed-2"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx-test", "k", "aborted"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx-test", "k", "committed-3"));
      producer.commitTransaction();
    }

    assertThat(readAll(broker, "tx-test", "read_committed")).containsExactly("committed-1", "committed-2", "committed-3");
    assertThat(readAll(broker, "tx-test", "read_uncommitted")).containsExactly("committed-1", "committed-2", "aborted", "committed-3");
  }

  static List<String> readAll(KafkaBroker broker, String topic, String isolation) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + isolation);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 15_000;
      int emptyPolls = 0;
      while (System.currentTimeMillis() < deadline && (values.isEmpty() || emptyPolls < 3)) {
        var records = consumer.poll(Duration.ofMillis(500));
        emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
        for (ConsumerRecord<String, String> r : records) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
