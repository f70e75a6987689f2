package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.core.window.WindowDrift;
import dev.driftline.core.window.WindowSummary;
import dev.driftline.jobs.driftdetection.operators.LabelledJson;
import dev.driftline.runtime.deadletter.DeadLetters;
import dev.driftline.runtime.flink.NamedSink;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSinks;
import dev.driftline.services.CommittedRecords;
import dev.driftline.services.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the cluster tests of the drift job feed it and expect of it: the credit-default monitor with
 * 10-minute windows against the previous window, seeded traffic, and the drift results one
 * uninterrupted run emits, recomputed in batch.
 */
final class DriftTraffic {
  static final Duration WINDOW = Duration.ofMinutes(10);
  static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(30);

  private DriftTraffic() {}

  /** The example monitor cut down to KS, chi-square and PSI on 10-minute windows, written to {@code dir/monitor.yaml}. */
  static Path writeSpec(Path dir) throws IOException {
    // A short idle timeout: the topics have two partitions, and all of a model's records are in one.
    Path specFile = dir.resolve("monitor.yaml");
    Files.writeString(specFile, specYaml("2s"));
    return specFile;
  }

  /**
   * The credit-default example's monitor YAML as the job tests read it: with its entity field,
   * {@code window} as the window (e.g. {@code {size: 10m, max_out_of_orderness: 30s}}), KS and PSI on
   * numbers, chi-square and PSI on categories.
   */
  static String exampleYaml(String window) throws IOException {
    return Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
        .replaceAll("(?s)fields:.*?classification_threshold", "fields: {entity: entity_id}\nclassification_threshold")
        .replaceAll("(?s)window:.*?tests:", "window: " + window + "\n\ntests:")
        .replaceAll("(?s)tests:.*?multiple_testing", "tests:\n  numeric: {ks: {alpha: 0.01}, psi: {threshold: 0.25}}\n"
            + "  categorical: {chi2: {alpha: 0.01}, psi: {threshold: 0.25}}\n\nmultiple_testing");
  }

  /** That monitor's YAML, with {@code window.idle_timeout} {@code idleTimeout} (e.g. {@code 2s}). */
  static String specYaml(String idleTimeout) throws IOException {
    return Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
        .replaceAll("(?s)fields:.*?classification_threshold", "fields: {entity: entity_id}\nclassification_threshold")
        .replaceAll("(?s)reference:.*?window:", "reference: {source: previous_window}\n\nwindow:")
        .replaceAll("(?s)window:.*?tests:", "window: {size: 10m, max_out_of_orderness: 30s, idle_timeout: " + idleTimeout
            + "}\n\ntests:")
        .replaceAll("(?s)tests:.*?multiple_testing", "tests:\n  numeric: {ks: {alpha: 0.01}, psi: {threshold: 0.25}}\n"
            + "  categorical: {chi2: {alpha: 0.01}, psi: {threshold: 0.25}}\n\nmultiple_testing");
  }

  static MonitorSpec load(Path specFile) {
    return MonitorSpecParser.load(specFile);
  }

  /** Seeded predictions and labels (5 minutes late, 5 % of them) from {@code start} for {@code length}. */
  static List<TrafficEvent> generate(MonitorSpec spec, Instant start, Duration length) {
    List<TrafficEvent> events = new ArrayList<>();
    new TrafficGenerator(TrafficConfig.of(spec, start, length, 1, 11).withLabels(Duration.ofMinutes(5), 0.05))
        .forEachRemaining(events::add);
    return events;
  }

  /**
   * What one run over {@code traffic} emits, by document id: every window closed by the final
   * watermark (the last prediction's time less the out-of-orderness), tested against the window
   * before it.
   */
  static Map<String, DriftResult> uninterrupted(MonitorSpec spec, List<TrafficEvent> traffic) {
    PredictionDecoder decoder = new PredictionDecoder(new ModelRegistry(List.of(spec)));
    long size = WINDOW.toMillis();
    TreeMap<Long, WindowSummary> windows = new TreeMap<>();
    long maxTs = Long.MIN_VALUE;
    for (TrafficEvent e : traffic) {
      if (e.type() == TrafficEvent.Type.PREDICTION) {
        Prediction p = decoder.decode(e.json().getBytes(StandardCharsets.UTF_8)).value();
        windows.computeIfAbsent(p.timestamp() - Math.floorMod(p.timestamp(), size), s -> WindowSummary.empty(spec)).add(p);
        maxTs = Math.max(maxTs, p.timestamp());
      }
    }
    long watermark = maxTs - OUT_OF_ORDERNESS.toMillis() - 1;
    Map<String, DriftResult> out = new HashMap<>();
    WindowSummary previous = null;
    long previousStart = 0;
    for (var w : windows.entrySet()) {
      long start = w.getKey();
      if (start + size - 1 > watermark) {
        break;
      }
      if (previous != null) {
        Baseline baseline = Baseline.fromWindow(previous, spec, "previous-window:"
            + Instant.ofEpochMilli(previousStart) + "/" + Instant.ofEpochMilli(previousStart + size));
        WindowDrift.evaluate(spec, baseline, w.getValue()).forEach(d -> {
          DriftResult r = DriftResult.of(spec.modelId(), DriftResult.ALL_SEGMENTS, start, start + size, d,
              baseline.referenceId(), 0);
          out.put(r.id(), r);
        });
      }
      previous = w.getValue();
      previousStart = start;
    }
    return out;
  }

  /** The Elasticsearch document id of a drift result read back as JSON (as {@link DriftResult#id()}). */
  static String id(JsonNode r) {
    return String.join("|", r.get("model_id").asText(), r.get("segment").asText(), r.get("feature").asText(),
        r.get("test").asText(), r.get("window_start").asText(), r.get("window_end").asText());
  }

  /** As the job writes it (numbers typed as a reader of its JSON sees them). */
  static JsonNode asJson(DriftResult r) {
    try {
      return Json.mapper().readTree(Json.bytes(r));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The result without its wall-clock field, which differs between any two runs. */
  static JsonNode withoutComputedAt(JsonNode r) {
    ObjectNode copy = ((ObjectNode) r).deepCopy();
    copy.remove("computed_at");
    return copy;
  }

  /** The month index a window's results go to, e.g. {@code driftline-drift-2026.05}. */
  static String index(Instant windowStart) {
    return DriftOutputs.DRIFT_INDEX_PREFIX + DriftOutputs.month(windowStart.toString());
  }

  /** Sends predictions to {@code predictions} and labels to {@code labels}, keyed as generated. */
  static void produce(KafkaBroker broker, List<TrafficEvent> traffic, String predictions, String labels) {
    produce(broker.stringProducer(), traffic, predictions, labels);
  }

  /**
   * As {@link #produce(KafkaBroker, List, String, String)} through {@code producer}, which it closes:
   * a test producer of {@code services/} ({@code CheckedProducer}), whose close fails when a record
   * was not delivered.
   */
  static void produce(KafkaProducer<String, String> producer, List<TrafficEvent> traffic, String predictions, String labels) {
    try (producer) {
      for (TrafficEvent e : traffic) {
        producer.send(new ProducerRecord<>(e.type() == TrafficEvent.Type.PREDICTION ? predictions : labels, e.key(), e.json()));
      }
    }
  }

  /** When {@code drift} read the first committed result of a window starting at or after {@code from}. */
  static long firstArrivalOfWindowFrom(CommittedRecords drift, Instant from) {
    for (CommittedRecords.Arrival a : drift.arrivals()) {
      try {
        if (!Instant.parse(Json.mapper().readTree(a.record().value()).get("window_start").asText()).isBefore(from)) {
          return a.nanoTime();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new AssertionError("no committed result of a window from " + from);
  }

  /**
   * The job's outputs as exactly-once (or {@code guarantee}) Kafka sinks only, on topics
   * {@code <prefix>-drift}, {@code -performance}, {@code -labelled} and {@code -dead-letters}, with
   * transactional ids from {@code <prefix>-...}: for tests without Elasticsearch.
   */
  static DriftDetectionJob.Outputs kafkaOutputs(KafkaConfig kafka, String prefix, ModelRegistry models, DeliveryGuarantee guarantee) {
    return new DriftDetectionJob.Outputs(
        List.of(NamedSink.of("kafka", KafkaSinks.json(kafka, prefix + "-drift", RecordSchema.DRIFT_RESULT, r -> r.modelId(),
            r -> Json.bytes(r), guarantee, prefix + "-drift"))),
        List.of(NamedSink.of("kafka", KafkaSinks.json(kafka, prefix + "-performance", RecordSchema.PERFORMANCE, r -> r.modelId(),
            r -> Json.bytes(r), guarantee, prefix + "-performance"))),
        List.of(NamedSink.of("kafka", KafkaSinks.json(kafka, prefix + "-labelled", RecordSchema.LABELLED_PREDICTION,
            lp -> lp.prediction().modelId(), lp -> LabelledJson.toJson(lp, models), guarantee, prefix + "-labelled"))),
        DeadLetters.kafkaSink(kafka, prefix + "-dead-letters"));
  }

  /**
   * Committed drift results (JSON, as read) counted by id against an uninterrupted run: copies of
   * each id, each id's value without its wall-clock field, and what is doubled, missing or unexpected.
   */
  record Comparison(Map<String, Integer> copies, Map<String, JsonNode> values, int duplicates, int missing, int unexpected) {
    static Comparison of(Map<String, DriftResult> expected, List<byte[]> committed) {
      Map<String, Integer> copies = new TreeMap<>();
      Map<String, JsonNode> values = new HashMap<>();
      for (byte[] value : committed) {
        JsonNode r;
        try {
          r = Json.mapper().readTree(value);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        copies.merge(id(r), 1, Integer::sum);
        values.put(id(r), withoutComputedAt(r));
      }
      int duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
      int missing = (int) expected.keySet().stream().filter(id -> !copies.containsKey(id)).count();
      int unexpected = (int) copies.keySet().stream().filter(id -> !expected.containsKey(id)).count();
      return new Comparison(copies, values, duplicates, missing, unexpected);
    }

    /** Each expected result once with the uninterrupted run's value, nothing else; {@code what} names the run. */
    void assertExactly(String what, Map<String, DriftResult> expected) {
      assertThat(copies).as(what + ": copies of each drift result on the topic")
          .allSatisfy((id, n) -> assertThat(n).as("copies of " + id).isEqualTo(1));
      assertThat(copies.keySet()).as(what + ": results on the topic").containsExactlyInAnyOrderElementsOf(expected.keySet());
      expected.forEach((id, r) -> assertThat(values.get(id)).as(what + " topic: " + id).isEqualTo(withoutComputedAt(asJson(r))));
      assertThat(duplicates + missing + unexpected).isZero();
    }
  }
}
