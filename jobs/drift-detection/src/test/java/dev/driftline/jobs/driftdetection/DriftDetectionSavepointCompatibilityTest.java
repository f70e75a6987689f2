package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.io.WrittenAt;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.jobs.driftdetection.operators.LabelJoinFunction;
import dev.driftline.jobs.driftdetection.operators.LabelledJson;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.flink.NamedSink;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.services.CollectingSink.Output;
import dev.driftline.services.CollectingSink;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.RestoresCommittedSavepoints;
import dev.driftline.services.SavepointFixture.Line;
import dev.driftline.services.SavepointFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrades keep the drift job's state: every committed savepoint fixture of an earlier version
 * (src/test/resources/savepoints/drift-detection/VERSION) restores with the current code, reads the
 * rest of its predictions, labels and baselines, and emits exactly the drift results, performance
 * updates, labelled predictions and dead letters an uninterrupted run emits after that point, by id
 * and value (without the wall-clock fields {@code computed_at}, {@code created_at},
 * {@code failed_at}). The savepoint was taken 25 minutes into 45 minutes of traffic (10-minute
 * windows): a drift window and every performance window open, predictions waiting for their labels
 * ({@code labels.max_delay} 3650 days: the join's state time-to-live is twice that in processing
 * time, so the fixture's waiting predictions do not expire while it is kept), a label waiting for
 * its prediction, and a published baseline (the start profile again, so whenever it is read the
 * results are the same) in the broadcast state. The test also checks that the restored run emits
 * what only that state can give.
 *
 * <p>The pipeline is the production one ({@link DriftDetectionJob}, its Kafka sources, RocksDB)
 * with collecting sinks. Record a new fixture (see docs/upgrade.md): {@code
 * -Ddriftline.fixtures.record=true -Ddriftline.fixtures.version=X.Y.Z} on this test.
 */
@ExtendWith(KafkaExtension.class)
class DriftDetectionSavepointCompatibilityTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final String JOB = "drift-detection";
  static final Instant START = Instant.parse("2026-05-04T00:00:00Z");
  static final Duration LENGTH = Duration.ofMinutes(45);
  /** The first run reads the input with event time before this, and is stopped with a savepoint. */
  static final Instant CUT = START.plus(Duration.ofMinutes(25));
  static final String PREDICTIONS = "predictions";
  static final String LABELS = "labels";
  static final String BASELINES = "baselines";
  /** The prediction whose label comes 3 minutes before it, in the first part; its own comes after the cut. */
  static final String EARLY_LABEL_ID = "early-label";

  @TempDir Path tmp;

  @RestoresCommittedSavepoints(JOB)
  void restoredSavepointFinishesWithTheOutputsOfAnUninterruptedRun(Path fixture) throws Exception {
    MonitorSpec spec = MonitorSpecParser.parse("monitor.yaml", Files.readString(fixture.resolve("monitor.yaml")));
    BaselineFile profile = BaselineFiles.read(fixture.resolve("profile.json"));
    SavepointFixture.Verified verified = SavepointFixture.verify(fixture, KafkaExtension.broker(), deployment(spec, profile));

    List<Line> input = SavepointFixture.input(fixture);
    int consumed = Integer.parseInt(properties(fixture).getProperty("consumed"));
    Set<String> predictedBefore = input.subList(0, consumed).stream().filter(l -> l.input().equals(PREDICTIONS))
        .map(Line::key).collect(Collectors.toSet());
    Set<String> labelledBefore = input.subList(0, consumed).stream().filter(l -> l.input().equals(LABELS))
        .map(Line::key).collect(Collectors.toSet());
    Map<String, String> after = verified.restored();
    // A prediction from before the savepoint joined to a label after it: the join's waiting predictions.
    assertThat(after.keySet()).as("labelled predictions whose prediction only the savepoint held")
        .anyMatch(id -> id.startsWith("labelled|") && predictedBefore.contains(id.substring("labelled|".length()))
            && !labelledBefore.contains(id.substring("labelled|".length())));
    // The label that came before its prediction, joined after the restore: the join's waiting labels.
    String early = input.stream().filter(l -> l.input().equals(LABELS) && l.key().startsWith(EARLY_LABEL_ID)).findFirst()
        .orElseThrow().key();
    assertThat(labelledBefore).contains(early);
    assertThat(predictedBefore).doesNotContain(early);
    assertThat(after).as("the early label joined after the restore").containsKey("labelled|" + early);
    // The drift window open at the savepoint, closed after it with the predictions of both parts.
    String open = "|" + CUT.minus(Duration.ofMinutes(5)) + "|" + CUT.plus(Duration.ofMinutes(5));
    long inOpenWindow = input.stream().filter(l -> l.input().equals(PREDICTIONS)).map(l -> json(l.value()).get("ts").asLong())
        .filter(ts -> ts >= CUT.minus(Duration.ofMinutes(5)).toEpochMilli() && ts < CUT.plus(Duration.ofMinutes(5)).toEpochMilli())
        .count();
    assertThat(after.entrySet()).as("drift results of the window open at the savepoint, over all its predictions")
        .anyMatch(e -> e.getKey().startsWith("drift|" + spec.modelId() + "|" + DriftResult.ALL_SEGMENTS + "|")
            && e.getKey().endsWith(open) && json(e.getValue()).get("n_current").asLong() == inOpenWindow);
    // A performance window of the first part updated after the restore: the performance windows' state.
    assertThat(after.keySet()).as("updates of performance windows that closed before the savepoint")
        .anyMatch(id -> id.startsWith("performance|" + spec.modelId() + "|" + DriftResult.ALL_SEGMENTS + "|" + START + "|"));
  }

  @Test
  @EnabledIfSystemProperty(named = SavepointFixture.RECORD_PROPERTY, matches = "true")
  void recordFixture() throws Exception {
    Path dir = SavepointFixture.toRecord(JOB);
    String yaml = Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
        .replaceAll("(?s)fields:.*?classification_threshold", "fields: {entity: entity_id}\nclassification_threshold")
        .replace("max_delay: 7d", "max_delay: 3650d")
        .replaceAll("(?s)features:\n.*?\n\nreference:", "features:\n  - {name: income, type: numeric, critical: true}\n"
            + "  - {name: debt_to_income, type: numeric}\n  - {name: loan_purpose, type: categorical}\n\nreference:")
        // A long idle timeout: a pause of the shared test machine must not let one input's watermark run ahead.
        .replaceAll("(?s)window:.*?tests:", "window: {size: 10m, max_out_of_orderness: 30s, idle_timeout: 1h}\n\ntests:")
        .replaceAll("(?s)tests:.*?multiple_testing", "tests:\n  numeric: {ks: {alpha: 0.01}, psi: {threshold: 0.25}}\n"
            + "  categorical: {chi2: {alpha: 0.01}, psi: {threshold: 0.25}}\n\nmultiple_testing");
    MonitorSpec spec = MonitorSpecParser.parse("monitor.yaml", yaml);
    BaselineFile profile = TrainingProfiles.buildLabelled(spec, START.minus(Duration.ofDays(2)), Duration.ofMinutes(5), 1,
        START.minus(Duration.ofDays(1)), tmp);
    List<Line> input = generate(spec, profile);
    long cut = CUT.toEpochMilli();
    int consumed = (int) input.stream().takeWhile(l -> l.input().equals(BASELINES) || ts(l) < cut).count();
    SavepointFixture.record(dir, KafkaExtension.broker(), inputs(), input, consumed, deployment(spec, profile));
    Files.writeString(dir.resolve("monitor.yaml"), yaml);
    BaselineFiles.write(profile, dir.resolve("profile.json"));
  }

  static Map<String, Integer> inputs() {
    Map<String, Integer> inputs = new LinkedHashMap<>();
    inputs.put(PREDICTIONS, 2);
    inputs.put(LABELS, 2);
    inputs.put(BASELINES, 1);
    return inputs;
  }

  /**
   * Predictions and their labels (15 minutes late on average, one in ten never), by event time,
   * each on the partition of its prediction id; the start profile published again first; and one
   * label 3 minutes before its prediction, across the cut.
   */
  static List<Line> generate(MonitorSpec spec, BaselineFile profile) throws IOException {
    List<TrafficEvent> events = new ArrayList<>();
    new TrafficGenerator(TrafficConfig.of(spec, START, LENGTH, 0.12, 7).withReference(profile)
        .withLabels(Duration.ofMinutes(15), 0.1)).forEachRemaining(events::add);
    record Timed(long ts, Line line) {}
    List<Timed> timed = new ArrayList<>();
    for (TrafficEvent e : events) {
      String id = e.body().get("prediction_id").asText();
      timed.add(new Timed(e.ts(), new Line(e.type() == TrafficEvent.Type.PREDICTION ? PREDICTIONS : LABELS,
          Math.floorMod(id.hashCode(), 2), id, e.json())));
    }
    long cut = CUT.toEpochMilli();
    // The early label: a prediction of its own 2 minutes after the cut, labelled 3 minutes before it.
    ObjectNode prediction = events.stream().filter(e -> e.type() == TrafficEvent.Type.PREDICTION && e.ts() >= cut)
        .findFirst().orElseThrow().body().deepCopy();
    long predicted = cut + 120_000;
    prediction.put("prediction_id", EARLY_LABEL_ID).put("ts", predicted);
    ObjectNode label = Json.mapper().createObjectNode().put("model_id", spec.modelId()).put("prediction_id", EARLY_LABEL_ID)
        .put("ts", predicted - 180_000).put("label", 1);
    int partition = Math.floorMod(EARLY_LABEL_ID.hashCode(), 2);
    timed.add(new Timed(predicted, new Line(PREDICTIONS, partition, EARLY_LABEL_ID, prediction.toString())));
    timed.add(new Timed(predicted - 180_000, new Line(LABELS, partition, EARLY_LABEL_ID, label.toString())));
    timed.sort(Comparator.comparingLong(Timed::ts));
    List<Line> out = new ArrayList<>();
    out.add(new Line(BASELINES, 0, spec.modelId(), new String(Json.bytes(profile), StandardCharsets.UTF_8)));
    timed.forEach(t -> out.add(t.line()));
    return out;
  }

  static JsonNode json(String s) {
    try {
      return Json.mapper().readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long ts(Line l) {
    return json(l.value()).get("ts").asLong();
  }

  static java.util.Properties properties(Path fixture) throws IOException {
    java.util.Properties p = new java.util.Properties();
    try (var r = Files.newBufferedReader(fixture.resolve("fixture.properties"))) {
      p.load(r);
    }
    return p;
  }

  /** The job as production builds it, reading the run's three topics, with collecting sinks. */
  static SavepointFixture.Deployment deployment(MonitorSpec spec, BaselineFile profile) {
    return (conf, run) -> {
      Configuration c = new Configuration(conf);
      c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
      // A checkpoint a subtask declines because its input ended ("task is closing") is no failure.
      c.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, Integer.MAX_VALUE);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
      env.enableCheckpointing(500);
      KafkaConfig kafka = KafkaConfig.of(KafkaExtension.broker().bootstrapServers());
      ModelRegistry models = new ModelRegistry(List.of(spec));
      CollectingSink<DriftResult> drift = CollectingSink.of(run.name(), r -> new Output(
          "drift|" + r.id() + (r.isLabel() ? "|" + r.nCurrent() : ""), withoutWallClock(r)));
      CollectingSink<PerformanceResult> performance = CollectingSink.of(run.name(), r -> new Output(
          "performance|" + r.id() + "|" + r.labelsUntil(), withoutWallClock(r)));
      CollectingSink<LabelJoinFunction.LabelledPrediction> labelled = CollectingSink.of(run.name(), lp -> new Output(
          "labelled|" + lp.prediction().predictionId(), new String(LabelledJson.toJson(lp, models), StandardCharsets.UTF_8)));
      CollectingSink<DeadLetter> deadLetters = CollectingSink.of(run.name(), d -> new Output(
          "dead-letter|" + d.stage() + "|" + d.partition() + "|" + d.offset() + "|" + d.reason(), d.recordTimestamp() + ""));
      // One run name: the sinks share the run's list (made once, by the first of them).
      new DriftDetectionJob(
          KafkaSources.rawUntil(kafka, List.of(run.topic(PREDICTIONS)), run.name(), run.stoppingOffsets(PREDICTIONS)),
          KafkaSources.rawUntil(kafka, List.of(run.topic(LABELS)), run.name(), run.stoppingOffsets(LABELS)),
          KafkaSources.rawUntil(kafka, List.of(run.topic(BASELINES)), run.name(), run.stoppingOffsets(BASELINES)),
          new DriftDetectionJob.Outputs(List.of(NamedSink.of("collected", drift)), List.of(NamedSink.of("collected", performance)),
              List.of(NamedSink.of("collected", labelled)), deadLetters),
          models, Map.of(spec.modelId(), Baseline.fromProfile(profile, spec)))
          .build(env);
      return env.executeAsync("drift detection " + run.name());
    };
  }

  static String withoutWallClock(Object record) {
    return WrittenAt.without(record);
  }
}
