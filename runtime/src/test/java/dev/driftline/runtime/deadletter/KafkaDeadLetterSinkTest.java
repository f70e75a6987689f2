package dev.driftline.runtime.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.TopicReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dead letters of records near and over the limits, written to topics of the real broker with its
 * default limits (message.max.bytes 1,048,588, the producer's max.request.size 1,048,576).
 */
@ExtendWith(KafkaExtension.class)
class KafkaDeadLetterSinkTest {
  static DeadLetter letter(int offset, byte[] value) {
    return new DeadLetter("decode:predictions", "invalid JSON: Illegal unquoted character ((CTRL-CHAR, code 7))",
        "predictions", 0, offset, "credit-default".getBytes(StandardCharsets.UTF_8), value, 1_772_409_600_000L,
        1_796_496_212_361L);
  }

  @Test
  void escapeHeavyRecordJustUnderTheDecoderLimitFitsTheDefaultTopicCutWithItsSource() throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(1, "dls-default");
    byte[] value = DeadLetterJsonTest.escapeHeavy(1_048_000);
    try (KafkaDeadLetterSink.Writer w = new KafkaDeadLetterSink(KafkaConfig.of(broker.bootstrapServers()), "dls-default")
        .open("test")) {
      assertThat(w.documentLimit()).isEqualTo(1_048_576 - DeadLetterLimit.RECORD_OVERHEAD_BYTES);
      w.write(letter(17, value));
      w.write(letter(18, "{\"model_id\":".getBytes(StandardCharsets.UTF_8)));
      w.flush();
    }
    List<ConsumerRecord<byte[], byte[]>> read = TopicReader.readAll(broker.bootstrapServers(), "dls-default", 2);
    assertThat(read).hasSize(2);
    assertThat(read.get(0).value().length).isBetween(1_048_576 - 1024 - 20, 1_048_576 - 1024);
    DeadLetter big = DeadLetterJson.fromJson(read.get(0).value());
    assertThat(big.offset()).isEqualTo(17);
    assertThat(big.topic()).isEqualTo("predictions");
    assertThat(big.valueLength()).isEqualTo(1_048_000);
    assertThat(big.value()).isEqualTo(Arrays.copyOf(value, big.value().length));
    DeadLetter small = DeadLetterJson.fromJson(read.get(1).value());
    assertThat(small).isEqualTo(letter(18, "{\"model_id\":".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void limitIsTheTopicsMaxMessageBytesWhenSmallerThanTheRequestLimit() throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    broker.createLargeMessageTopics(1, 200_000, "dls-small");
    try (KafkaDeadLetterSink.Writer w = new KafkaDeadLetterSink(KafkaConfig.of(broker.bootstrapServers()), "dls-small")
        .open("test")) {
      assertThat(w.documentLimit()).isEqualTo(200_000 - DeadLetterLimit.RECORD_OVERHEAD_BYTES);
      w.write(letter(3, DeadLetterJsonTest.escapeHeavy(900_000)));
      w.flush();
    }
    List<ConsumerRecord<byte[], byte[]>> read = TopicReader.readAll(broker.bootstrapServers(), "dls-small", 1);
    assertThat(read.get(0).value().length).isBetween(200_000 - 1024 - 20, 200_000 - 1024);
    assertThat(DeadLetterJson.fromJson(read.get(0).value()).valueLength()).isEqualTo(900_000);
  }

  @Test
  void topicNotCreatedYetTakesTheBrokersMessageLimit() {
    KafkaBroker broker = KafkaExtension.broker();
    Properties producer = new Properties();
    producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 << 20));
    try (Admin admin = broker.admin()) {
      assertThat(DeadLetterLimit.read(admin, "dls-not-there-yet", producer)).isEqualTo(1_048_588);
      producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "300000");
      assertThat(DeadLetterLimit.read(admin, "dls-not-there-yet", producer)).isEqualTo(300_000);
    }
  }

  @Test
  void deadLetterTheBrokerStillRefusesIsReplacedByASmallOneThatSaysSo() throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(1, "dls-shrunk");
    KafkaDeadLetterSink sink = new KafkaDeadLetterSink(KafkaConfig.of(broker.bootstrapServers()), "dls-shrunk");
    try (KafkaDeadLetterSink.Writer w = sink.open("test")) {
      // The limit was read as the writer opened; the topic's shrinks while it runs.
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "dls-shrunk");
      try (Admin admin = broker.admin()) {
        admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
            new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "50000"), AlterConfigOp.OpType.SET))))
            .all().get(30, TimeUnit.SECONDS);
      }
      Thread.sleep(500); // the broker applies the topic's new config asynchronously
      w.write(letter(41, DeadLetterJsonTest.escapeHeavy(400_000)));
      w.write(letter(42, "{\"a\":".getBytes(StandardCharsets.UTF_8)));
      w.flush();
    }
    List<DeadLetter> read = TopicReader.readAll(broker.bootstrapServers(), "dls-shrunk", 2).stream()
        .map(r -> DeadLetterJson.fromJson(r.value())).toList();
    assertThat(read).extracting(DeadLetter::offset).containsExactlyInAnyOrder(41L, 42L);
    DeadLetter replaced = read.stream().filter(d -> d.offset() == 41).findFirst().orElseThrow();
    assertThat(replaced.reason())
        .startsWith("invalid JSON: Illegal unquoted character ((CTRL-CHAR, code 7)) [dead letter of ")
        .contains(" bytes refused by the topic (RecordTooLargeException: ")
        .endsWith("; value cut to fit 4096 bytes]")
        .doesNotContain("\n");
    assertThat(DeadLetterClasses.reason(replaced.stage(), replaced.reason())).isEqualTo("invalid_json");
    assertThat(replaced.valueLength()).isEqualTo(400_000);
    assertThat(replaced.value().length).isBetween(1_000, 2_500);
    assertThat(replaced.topic()).isEqualTo("predictions");
    assertThat(replaced.partition()).isZero();
  }
}
