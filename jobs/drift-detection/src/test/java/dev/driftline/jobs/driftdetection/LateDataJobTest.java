package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.services.CommittedRecords;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A prediction that arrives after its window closed is a dead letter that says so, not a silent
 * drop. Two hours of traffic and a prediction at 03:00 on each partition move the watermark past
 * the first window's end plus its lateness (10 minutes for drift, a 1 h label delay for
 * performance); once the second window's results are on the topic, a prediction of the first
 * window is sent. The keyed windows refuse it, and the dead-letter topic gets one record per
 * refused (window, segment): its drift and its performance, for all segments and its own.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class LateDataJobTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final String PREFIX = "late";
  static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
  static final String ALL = DriftResult.ALL_SEGMENTS;

  @Test
  void aPredictionForAClosedWindowIsADeadLetterNamingTheWindowAndTheCount() throws Exception {
    String yaml = Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
        .replaceAll("(?s)\nreference:.*?\nwindow:", "\nreference: {source: previous_window}\n\nwindow:")
        .replace("max_delay: 7d", "max_delay: 1h").replace("idle_timeout: 1m", "idle_timeout: 2s");
    MonitorSpec spec = MonitorSpecParser.parse("credit-default-late.yaml", yaml);
    List<TrafficEvent> events = new ArrayList<>();
    new TrafficGenerator(TrafficConfig.of(spec, START, Duration.ofHours(2), 0.5, 5)).forEachRemaining(events::add);
    List<ObjectNode> predictions = events.stream().filter(e -> e.type() == TrafficEvent.Type.PREDICTION)
        .map(TrafficEvent::body).toList();
    BoundedDriftJob.produce(PREFIX, events);
    KafkaBroker broker = KafkaExtension.broker();
    // One prediction at 03:00 on each partition: the watermark of every partition passes 02:10.
    for (int partition = 0; partition < 2; partition++) {
      send(broker, partition, prediction(predictions.get(partition), "after-" + partition, START.plus(Duration.ofHours(3))));
    }

    JobClient job = BoundedDriftJob.start(PREFIX, spec, Map.of(), new Configuration());
    try (CommittedRecords drift = CommittedRecords.follow(broker.bootstrapServers(), PREFIX + "-drift");
        CommittedRecords performance = CommittedRecords.follow(broker.bootstrapServers(), PREFIX + "-performance");
        CommittedRecords deadLetters = CommittedRecords.follow(broker.bootstrapServers(), PREFIX + "-dead-letters")) {
      // The second window's results: the watermarks passed 02:00, so the first window is closed for
      // good (its drift at 01:10, its performance, waiting 1 h for labels, at 02:00).
      String secondWindow = START.plus(Duration.ofHours(1)).toString();
      Waits.until("the second window's drift and performance results", Duration.ofMinutes(2),
          () -> values(drift).stream().anyMatch(r -> r.path("window_start").asText().equals(secondWindow))
              && values(performance).stream().anyMatch(r -> r.path("window_start").asText().equals(secondWindow)),
          () -> drift.count() + " drift results, performance windows "
              + values(performance).stream().map(r -> r.path("window_start").asText()).distinct().toList());
      assertThat(windowStages(deadLetters)).as("no window refused anything before the late prediction").isEmpty();

      ObjectNode late = prediction(predictions.get(0), "late-1", START.plus(Duration.ofMinutes(30)));
      send(broker, 0, late);
      Waits.until("four dead letters for the late prediction", Duration.ofMinutes(1),
          () -> windowStages(deadLetters).size() >= 4, () -> windowStages(deadLetters).toString());

      List<JsonNode> refused = values(deadLetters).stream()
          .filter(d -> d.path("stage").asText().startsWith("window:")).toList();
      String segment = late.path("segment").asText();
      assertThat(refused).extracting(d -> d.path("stage").asText() + " " + d.path("key").asText())
          .containsExactlyInAnyOrder("window:drift credit-default|" + ALL, "window:drift credit-default|" + segment,
              "window:performance credit-default|" + ALL, "window:performance credit-default|" + segment);
      for (JsonNode d : refused) {
        JsonNode value = Json.mapper().readTree(d.path("value").asText());
        assertThat(value.path("window_start").asLong()).isEqualTo(START.toEpochMilli());
        assertThat(value.path("window_end").asLong()).isEqualTo(START.plus(Duration.ofHours(1)).toEpochMilli());
        assertThat(value.path("predictions").asLong()).isEqualTo(1);
        assertThat(d.path("reason").asText()).startsWith("1 predictions of model \"credit-default\" (segment ")
            .contains("in the window [2026-11-02T00:00:00Z, 2026-11-02T01:00:00Z) arrived after it closed");
      }
      assertThat(refused).filteredOn(d -> d.path("stage").asText().equals("window:drift"))
          .allSatisfy(d -> assertThat(d.path("reason").asText()).endsWith(
              "the window's drift results do not count them (window.allowed_lateness PT10M)"));
    } finally {
      job.cancel().get();
    }
  }

  static ObjectNode prediction(ObjectNode like, String id, Instant at) {
    return like.deepCopy().put("prediction_id", id).put("ts", at.toEpochMilli());
  }

  static void send(KafkaBroker broker, int partition, ObjectNode prediction) {
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      producer.send(new ProducerRecord<>(PREFIX + "-predictions", partition, prediction.path("prediction_id").asText(),
          prediction.toString()));
    }
  }

  static List<JsonNode> values(CommittedRecords records) {
    List<JsonNode> out = new ArrayList<>();
    for (byte[] v : records.values()) {
      try {
        out.add(Json.mapper().readTree(v));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  static List<String> windowStages(CommittedRecords deadLetters) {
    return values(deadLetters).stream().map(d -> d.path("stage").asText()).filter(s -> s.startsWith("window:")).toList();
  }
}
