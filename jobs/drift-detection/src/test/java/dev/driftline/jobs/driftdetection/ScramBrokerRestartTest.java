package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.io.WrittenAt;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetterJson;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.services.FailOnceSource;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.ReliabilityLog;
import dev.driftline.services.ScramKafkaBroker;
import dev.driftline.services.ScramKafkaExtension;
import dev.driftline.services.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The drift job reading and writing through the SASL/SCRAM-secured broker (the user's password in
 * the client properties, exactly-once Kafka sinks) is failed once in the middle of its input, after
 * a checkpoint, and restores from that checkpoint with restarts on; its outputs, read as
 * read_committed consumers read them, equal those of an uninterrupted run of the same input record
 * for record: nothing lost, nothing doubled. The dead-letter topic is at-least-once by design (a
 * repeated dead letter harms nobody), so its dead letters are compared as a set, by source position
 * and reason.
 */
@ExtendWith(ScramKafkaExtension.class)
class ScramBrokerRestartTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final Instant START = Instant.parse("2026-08-03T00:00:00Z");
  static final Duration TRAFFIC = Duration.ofMinutes(40);
  static final String FLAG = "scram-restart";
  /** Labels of predictions that never come: each a dead letter of the join, at its source position. */
  static final int GHOST_LABELS = 3;

  static MonitorSpec spec;
  static int predictions;
  static Outputs uninterrupted;
  static Outputs restored;

  /** What a run wrote: each output's records as text without its wall-clock fields, in topic order per partition. */
  record Outputs(List<String> drift, List<String> performance, List<String> labelled, List<String> deadLetters, long millis) {}

  @BeforeAll
  static void runTwice() throws Exception {
    // A long idle timeout: no input is taken for idle while the job restarts, so every window closes
    // at the end of the input, in both runs alike.
    spec = MonitorSpecParser.parse("monitor.yaml", DriftTraffic.specYaml("1h"));
    List<TrafficEvent> events = new ArrayList<>();
    new TrafficGenerator(TrafficConfig.of(spec, START, TRAFFIC, 1, 31)).forEachRemaining(events::add);
    predictions = (int) events.stream().filter(e -> e.type() == TrafficEvent.Type.PREDICTION).count();

    ScramKafkaBroker kafka = ScramKafkaExtension.broker();
    kafka.createTopics(2, "sr-predictions", "sr-labels", "sr-baselines");
    try (KafkaProducer<String, String> producer = kafka.stringProducer()) {
      for (TrafficEvent e : events) {
        producer.send(new ProducerRecord<>(e.type() == TrafficEvent.Type.PREDICTION ? "sr-predictions" : "sr-labels", e.key(), e.json()));
      }
      for (int i = 0; i < GHOST_LABELS; i++) {
        producer.send(new ProducerRecord<>("sr-labels", "ghost-" + i, "{\"model_id\":\"" + spec.modelId() + "\",\"prediction_id\":\"ghost-"
            + i + "\",\"ts\":" + START.plus(Duration.ofMinutes(5 + 10 * i)).toEpochMilli() + ",\"label\":1}"));
      }
    }
    uninterrupted = run("a", false);
    restored = run("b", true);
    System.out.printf("SCRAM restart test: %d predictions; uninterrupted run %d ms, run with a restart %d ms%n", predictions,
        uninterrupted.millis(), restored.millis());
  }

  static Outputs run(String name, boolean fail) throws Exception {
    ScramKafkaBroker broker = ScramKafkaExtension.broker();
    String out = "sr-" + name;
    broker.createTopics(2, out + "-drift", out + "-performance", out + "-labelled", out + "-dead-letters");
    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers(), ScramKafkaBroker.clientProperties(broker.password()));
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, fail ? "fixed-delay" : "none");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(300);
    var predictionSource = KafkaSources.rawBounded(kafka, List.of("sr-predictions"), out + "-job");
    ModelRegistry models = new ModelRegistry(List.of(spec));
    DeliveryGuarantee once = DeliveryGuarantee.EXACTLY_ONCE;
    new DriftDetectionJob(
        // Fails once, after a quarter of the predictions (all on one partition: keyed by model) and a checkpoint.
        fail ? new FailOnceSource<>(predictionSource, predictions / 4, 1, FLAG) : predictionSource,
        KafkaSources.rawBounded(kafka, List.of("sr-labels"), out + "-job"),
        KafkaSources.rawBounded(kafka, List.of("sr-baselines"), out + "-job"),
        DriftTraffic.kafkaOutputs(kafka, out, models, once),
        models, Map.of()).build(env);
    long t0 = System.nanoTime();
    env.execute("drift detection through SCRAM " + name);
    long millis = (System.nanoTime() - t0) / 1_000_000;
    String bootstrap = broker.plaintextBootstrapServers();
    List<String> deadLetters = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap, out + "-dead-letters", GHOST_LABELS)) {
      DeadLetter d = DeadLetterJson.fromJson(r.value());
      deadLetters.add(d.stage() + " " + d.topic() + "/" + d.partition() + "@" + d.offset() + " " + d.reason());
    }
    return new Outputs(read(bootstrap, out + "-drift"), read(bootstrap, out + "-performance"),
        read(bootstrap, out + "-labelled"), deadLetters, millis);
  }

  static List<String> read(String bootstrap, String topic) {
    List<String> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap, topic, 1)) {
      try {
        out.add(WrittenAt.without(Json.mapper().readTree(r.value())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** Records by id; the id must be unique, so a doubled record fails. */
  static Map<String, String> byId(List<String> records, String... idFields) {
    Map<String, String> out = new TreeMap<>();
    for (String r : records) {
      JsonNode n;
      try {
        n = Json.mapper().readTree(r);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<String> id = new ArrayList<>();
      for (String f : idFields) {
        id.add(n.path(f).asText());
      }
      assertThat(out.put(String.join("|", id), r)).as("a second record with id %s", id).isNull();
    }
    return out;
  }

  @Test
  void aRunRestoredFromACheckpointWritesExactlyTheRecordsOfAnUninterruptedRun() {
    assertThat(FailOnceSource.failed(FLAG)).as("the second run failed once and restored").isTrue();
    assertThat(uninterrupted.drift()).hasSizeGreaterThanOrEqualTo(20);
    assertThat(uninterrupted.labelled()).hasSizeGreaterThan(predictions / 2);
    // Drift results: one per window, segment, feature and test; label drift once per performance update.
    assertThat(byId(restored.drift(), "segment", "feature", "test", "window_start", "n_current"))
        .isEqualTo(byId(uninterrupted.drift(), "segment", "feature", "test", "window_start", "n_current"));
    // Performance: each window once per update point (labels known until).
    assertThat(byId(restored.performance(), "segment", "window_start", "estimated", "labels_until"))
        .isEqualTo(byId(uninterrupted.performance(), "segment", "window_start", "estimated", "labels_until"));
    assertThat(byId(restored.labelled(), "prediction_id")).isEqualTo(byId(uninterrupted.labelled(), "prediction_id"));
    assertThat(restored.labelled()).hasSameSizeAs(uninterrupted.labelled());

    assertThat(uninterrupted.deadLetters()).hasSize(GHOST_LABELS)
        .allSatisfy(d -> assertThat(d).startsWith("join:labels sr-labels/").contains(": no prediction \"ghost-"));
    assertThat(restored.deadLetters().stream().distinct().sorted().toList())
        .isEqualTo(uninterrupted.deadLetters().stream().sorted().toList());

    ReliabilityLog.row("Job failure on the SCRAM-secured broker (drift job)",
        "drift job reading and writing Kafka through SASL/SCRAM-SHA-256 (exactly-once sinks), failed once after a"
            + " checkpoint, restarts on; compared with an uninterrupted run",
        "read_committed outputs equal record for record; no record lost or doubled",
        String.format("%d predictions; drift %d = %d, performance %d = %d, labelled %d = %d, dead letters %d distinct = %d;"
            + " runs %d ms and %d ms", predictions, restored.drift().size(), uninterrupted.drift().size(),
            restored.performance().size(), uninterrupted.performance().size(), restored.labelled().size(),
            uninterrupted.labelled().size(), restored.deadLetters().stream().distinct().count(), uninterrupted.deadLetters().size(),
            uninterrupted.millis(), restored.millis()),
        "ScramBrokerRestartTest");
  }
}
