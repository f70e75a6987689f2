package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** `driftline generate --to kafka://...` against a real broker: the topics hold what the files would. */
@ExtendWith(KafkaExtension.class)
class GenerateToKafkaTest {
  private static final String SPEC = "../examples/credit-default/monitor.yaml";
  @TempDir Path dir;

  @Test
  void producesTheSameEventsToKafkaAsToFiles() throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(2, "gen-predictions", "gen-labels");
    String[] common = {"generate", "--spec", SPEC, "--rate", "5", "--duration", "2m",
        "--start", "2026-01-01T00:00:00Z", "--seed", "3", "--drift", "income@1m:shift=2"};

    CliRun toKafka = CliRun.of(concat(common, "--to", "kafka://" + broker.bootstrapServers(),
        "--predictions-topic", "gen-predictions", "--labels-topic", "gen-labels"));
    assertThat(toKafka.exitCode()).as(toKafka.err()).isZero();
    CliRun toFiles = CliRun.of(concat(common, "--to", dir.toString()));
    assertThat(toFiles.exitCode()).as(toFiles.err()).isZero();

    List<String> predictions = Files.readAllLines(dir.resolve("predictions.jsonl"));
    List<String> labels = Files.readAllLines(dir.resolve("labels.jsonl"));
    assertThat(predictions).hasSize(600);
    assertThat(read(broker, "gen-predictions", predictions.size())).containsExactlyInAnyOrderElementsOf(predictions);
    assertThat(read(broker, "gen-labels", labels.size())).containsExactlyInAnyOrderElementsOf(labels);
    JsonNode first = new ObjectMapper().readTree(predictions.get(0));
    assertThat(first.get("model_id").asText()).isEqualTo("credit-default");
    assertThat(toKafka.out()).contains("600 predictions");
  }

  @Test
  void anUnreachableBrokerIsOneLineAndExitTwo() {
    // The wait for the broker as a client property: 1.5 s instead of the command's 15 s.
    CliRun r = CliRun.of("generate", "--spec", SPEC, "--rate", "1", "--duration", "10s", "--to", "kafka://127.0.0.1:9",
        "--kafka-property", "max.block.ms=1500");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("driftline: --to kafka://127.0.0.1:9: cannot produce: ").contains("after 1500 ms");
    assertThat(r.err().strip()).doesNotContain("\n");
  }

  private static List<String> read(KafkaBroker broker, String topic, int expected) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "gen-test-" + topic);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 30_000;
      while (out.size() < expected && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(300)).forEach(r -> {
          assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("credit-default");
          out.add(new String(r.value(), StandardCharsets.UTF_8));
        });
      }
    }
    return out;
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
