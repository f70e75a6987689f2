package dev.driftline.jobs.retraintrigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.io.WrittenAt;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.PolicyEngine;
import dev.driftline.core.trigger.PolicyState;
import dev.driftline.core.trigger.RetrainTrigger;
import dev.driftline.core.trigger.WindowDriftSummary;
import dev.driftline.jobs.retraintrigger.operators.PolicyFunction;
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
import java.util.TreeSet;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upgrades keep the trigger policy's memory: every committed savepoint fixture of an earlier
 * version (src/test/resources/savepoints/retrain-trigger/VERSION) restores with the current code,
 * reads the rest of its drift results and performance updates, and emits exactly the triggers and
 * alerts an uninterrupted run emits after that point, by id and value (without {@code created_at}).
 * The savepoint was taken in a drift episode, shortly after a trigger: the policy's K-of-N history,
 * its Page–Hinkley detector, the trigger's cooldown, drift windows and performance updates waiting
 * for the watermark are all in it. The test also checks that the restored run decides differently
 * from a policy that starts without memory at the savepoint (the state mattered).
 *
 * <p>The pipeline is the production one ({@link RetrainTriggerJob}, its Kafka sources, RocksDB)
 * with collecting sinks. Record a new fixture (see docs/upgrade.md): {@code
 * -Ddriftline.fixtures.record=true -Ddriftline.fixtures.version=X.Y.Z} on this test.
 */
@ExtendWith(KafkaExtension.class)
class RetrainTriggerSavepointCompatibilityTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final String JOB = "retrain-trigger";
  static final String DRIFT = "drift-results";
  static final String PERFORMANCE = "performance";
  static final int WINDOWS = 24;
  static final String YAML = String.join("\n",
      "model_id: m", "task: binary_classification",
      "features: [{name: a, type: numeric}, {name: b, type: numeric}, {name: c, type: numeric}, {name: d, type: categorical}]",
      "reference: {source: previous_window}", "window: {size: 1h}",
      "policy: {dataset_drift: {share: 0.5, k: 2, n: 3}, psi_hard_limit: 0.9, warn_psi: 0.1, cooldown: 3h,",
      "  rearm_after_windows: 2, performance: [{metric: accuracy, min: 0.75, k: 2, n: 3, min_label_coverage: 0.3}],",
      "  page_hinkley: {delta: 0.005, lambda: 0.5, min_windows: 5}}", "");

  @RestoresCommittedSavepoints(JOB)
  void restoredSavepointFinishesWithTheOutputsOfAnUninterruptedRun(Path fixture) throws Exception {
    MonitorSpec spec = MonitorSpecParser.parse("monitor.yaml", Files.readString(fixture.resolve("monitor.yaml")));
    SavepointFixture.Verified verified = SavepointFixture.verify(fixture, KafkaExtension.broker(), deployment(spec));

    List<Line> input = SavepointFixture.input(fixture);
    int consumed = Integer.parseInt(properties(fixture).getProperty("consumed"));
    long cut = time(input.get(consumed));
    // The policy that remembers the first part: everything it decides from the savepoint on comes
    // after the restore (decisions due just before it may come on either side).
    Map<String, String> remembering = outputs(decide(spec, input, Long.MIN_VALUE), cut);
    assertThat(verified.restored()).as("the restored run's triggers and alerts").containsAllEntriesOf(remembering);
    assertThat(outputs(decide(spec, input, Long.MIN_VALUE), Long.MIN_VALUE)).containsAllEntriesOf(verified.restored());
    Map<String, String> forgetting = outputs(decide(spec, input, cut), cut);
    assertThat(triggersNotIn(remembering, forgetting))
        .as("triggers after the restore that a policy starting without memory at the savepoint does not give (or not so)")
        .isNotEmpty();
    // Segment "early" triggered before the savepoint, and its cooldown runs on after it.
    List<Timed> early = run(spec, input, EARLY, Long.MIN_VALUE, cut, new PolicyState()).stream()
        .filter(d -> d.decision().trigger() != null).toList();
    Timed last = early.get(early.size() - 1);
    assertThat(verified.before()).as("the trigger before the savepoint").contains("trigger|" + last.decision().trigger().triggerId());
    assertThat(cut).as("the savepoint falls in that trigger's cooldown")
        .isLessThan(Instant.parse(last.decision().trigger().trainingTo()).toEpochMilli() + spec.policy().cooldown().toMillis());
  }

  @Test
  @EnabledIfSystemProperty(named = SavepointFixture.RECORD_PROPERTY, matches = "true")
  void recordFixture() throws Exception {
    Path dir = SavepointFixture.toRecord(JOB);
    MonitorSpec spec = MonitorSpecParser.parse("monitor.yaml", YAML);
    List<Line> input = generate();
    int consumed = cut(spec, input);
    SavepointFixture.record(dir, KafkaExtension.broker(), inputs(), input, consumed, deployment(spec));
    Files.writeString(dir.resolve("monitor.yaml"), YAML);
  }

  static Map<String, Integer> inputs() {
    Map<String, Integer> inputs = new LinkedHashMap<>();
    inputs.put(DRIFT, 2);
    inputs.put(PERFORMANCE, 2);
    return inputs;
  }

  /**
   * Hourly drift results ({@link ScriptedDrift}) and each window's performance at its end and 1, 2
   * and 3 hours later ({@link #updates}), by event time, for two
   * segments: {@code __all__} and {@value #EARLY}, the same two hours earlier (so a cut can fall
   * in the one's cooldown and before a trigger of the other); each segment on its own partition.
   */
  static List<Line> generate() {
    record Timed(long time, int order, Line line) {}
    List<Timed> timed = new ArrayList<>();
    List<String> drift = ScriptedDrift.of(WINDOWS).results().stream().map(r -> new String(Json.bytes(r), StandardCharsets.UTF_8)).toList();
    List<String> performance = updates(WINDOWS).stream()
        .map(r -> new String(Json.bytes(r), StandardCharsets.UTF_8)).toList();
    for (boolean early : new boolean[] {false, true}) {
      for (String json : drift) {
        Line l = line(DRIFT, early ? shifted(json) : json);
        timed.add(new Timed(time(l), 0, l));
      }
      for (String json : performance) {
        Line l = line(PERFORMANCE, early ? shifted(json) : json);
        timed.add(new Timed(time(l), 1, l));
      }
    }
    // Stable: each segment and input keeps its own order (by window, then feature) at one time.
    timed.sort(Comparator.comparingLong(Timed::time).thenComparingInt(Timed::order));
    return timed.stream().map(Timed::line).toList();
  }

  static final String EARLY = "early";

  /**
   * Every window's realized performance at its end and 1, 2 and 3 hours later, label coverage
   * rising 0.1, 0.4, 0.7, 0.9, accuracy around 0.8 (above the policy's limit: the triggers come
   * from dataset drift, which needs the history of drift windows); sorted by update point.
   */
  static List<PerformanceResult> updates(int windows) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    double[] coverage = {0.1, 0.4, 0.7, 0.9};
    List<PerformanceResult> out = new ArrayList<>();
    for (int i = 0; i < windows; i++) {
      double accuracy = 0.8 + 0.06 * (random.nextDouble() - 0.5);
      Instant start = ScriptedDrift.T0.plus(Duration.ofHours(i));
      Instant end = start.plus(Duration.ofHours(1));
      for (int k = 0; k < coverage.length; k++) {
        double a = accuracy + 0.02 * (random.nextDouble() - 0.5);
        out.add(new PerformanceResult("m", DriftResult.ALL_SEGMENTS, start.toString(), end.toString(), 1000,
            (long) (1000 * coverage[k]), coverage[k], true, a, null, null, null, null, null, null, null, null, null, null,
            end.toString()).withLabelsUntil(end.plus(Duration.ofHours(k)).toEpochMilli()));
      }
    }
    out.sort(Comparator.comparing(PerformanceResult::labelsUntil).thenComparing(PerformanceResult::windowStart));
    return out;
  }

  /**
   * Each (model, segment) on a partition of its own, in event-time order, as the drift job writes
   * them (one subtask per key); the two segments on the two partitions.
   */
  static Line line(String input, String json) {
    return new Line(input, field(json, "segment").equals(EARLY) ? 1 : 0, "m", json);
  }

  /** The record for segment {@value #EARLY}: every time two hours earlier. */
  static String shifted(String json) {
    try {
      ObjectNode n = (ObjectNode) Json.mapper().readTree(json);
      n.put("segment", EARLY);
      for (String field : List.of("window_start", "window_end", "labels_until", "computed_at")) {
        if (n.hasNonNull(field)) {
          n.put(field, Instant.parse(n.get(field).asText()).minus(Duration.ofHours(2)).toString());
        }
      }
      return n.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The number of lines the first run reads: up to the first window end after a trigger at which a
   * later trigger needs the windows before it (a policy without them does not give it), the
   * trigger's cooldown still running.
   */
  static int cut(MonitorSpec spec, List<Line> input) {
    for (int i = 1; i < input.size(); i++) {
      long t = time(input.get(i));
      if (t == time(input.get(i - 1)) || !input.get(i).input().equals(DRIFT)) {
        continue;
      }
      Map<String, String> after = outputs(decide(spec, input, Long.MIN_VALUE), t);
      Map<String, String> forgetting = outputs(decide(spec, input, t), t);
      // Decided before the savepoint: what comes before the last hour read (a (model, segment)'s
      // results are taken once a later one of the same input has come).
      PolicyState state = stateBefore(spec, input, EARLY, t - 3_600_000);
      boolean coolingDown = state.lastTrigger != Long.MIN_VALUE && t < state.lastTrigger + spec.policy().cooldown().toMillis();
      if (coolingDown && !triggersNotIn(after, forgetting).isEmpty()) {
        return i;
      }
    }
    StringBuilder triggers = new StringBuilder();
    for (Timed d : decide(spec, input, Long.MIN_VALUE)) {
      if (d.decision().trigger() != null) {
        triggers.append("\n  ").append(Instant.ofEpochMilli(d.time())).append(" ").append(d.decision().trigger().segment())
            .append(": ").append(d.decision().trigger().reasons());
      }
    }
    throw new IllegalStateException("no cut with a running cooldown and a trigger that needs the windows before it; the script's triggers:"
        + triggers);
  }

  /** Event time of a line: a drift result's window end, a performance update's point. */
  static long time(Line l) {
    return l.input().equals(DRIFT) ? Instant.parse(drift(l).windowEnd()).toEpochMilli() : PolicyFunction.point(performance(l));
  }

  /** One decision of the policy with the time it was taken at. */
  record Timed(long time, PolicyEngine.Decision decision) {}

  /**
   * The policy applied in event-time order (as {@link PolicyFunction} does: at each time the drift
   * window ending then, then the performance updates due then by window start) to the lines at or
   * after {@code from}, starting without memory.
   */
  static List<Timed> decide(MonitorSpec spec, List<Line> input, long from) {
    List<Timed> out = new ArrayList<>();
    for (String segment : List.of(DriftResult.ALL_SEGMENTS, EARLY)) {
      out.addAll(run(spec, input, segment, from, Long.MAX_VALUE, new PolicyState()));
    }
    return out;
  }

  /** The policy state of {@code segment} when the input before {@code until} has been decided. */
  static PolicyState stateBefore(MonitorSpec spec, List<Line> input, String segment, long until) {
    PolicyState state = new PolicyState();
    run(spec, input, segment, Long.MIN_VALUE, until, state);
    return state;
  }

  static List<Timed> run(MonitorSpec spec, List<Line> input, String segment, long from, long until, PolicyState state) {
    Map<Long, List<DriftResult>> windows = new java.util.TreeMap<>();
    Map<Long, java.util.TreeMap<String, PerformanceResult>> due = new java.util.TreeMap<>();
    for (Line l : input) {
      long t = time(l);
      if (t < from || t >= until || !field(l.value(), "segment").equals(segment)) {
        continue;
      }
      if (l.input().equals(DRIFT)) {
        windows.computeIfAbsent(t, k -> new ArrayList<>()).add(drift(l));
      } else {
        due.computeIfAbsent(t, k -> new java.util.TreeMap<>()).put(performance(l).windowStart(), performance(l));
      }
    }
    Set<Long> times = new TreeSet<>(windows.keySet());
    times.addAll(due.keySet());
    List<Timed> out = new ArrayList<>();
    for (long t : times) {
      List<DriftResult> w = windows.get(t);
      if (w != null) {
        WindowDriftSummary summary = new WindowDriftSummary(w.get(0).windowStart(), w.get(0).windowEnd());
        w.forEach(summary::add);
        out.add(new Timed(t, PolicyEngine.onDriftWindow(spec, w.get(0).segment(), state, summary, 0)));
      }
      for (PerformanceResult r : due.getOrDefault(t, new java.util.TreeMap<>()).values()) {
        out.add(new Timed(t, PolicyEngine.onPerformance(spec, r.segment(), state, r, 0)));
      }
    }
    return out;
  }

  /** The outputs (id and value, as the collecting sinks describe them) of the decisions taken at or after {@code from}. */
  static Map<String, String> outputs(List<Timed> decisions, long from) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (Timed d : decisions) {
      if (d.time() < from) {
        continue;
      }
      d.decision().alerts().forEach(a -> out.put("alert|" + a.alertId(), withoutWallClock(a)));
      if (d.decision().trigger() != null) {
        out.put("trigger|" + d.decision().trigger().triggerId(), withoutWallClock(d.decision().trigger()));
      }
    }
    return out;
  }

  /** The triggers of {@code outputs} that {@code other} does not hold with the same value. */
  static List<String> triggersNotIn(Map<String, String> outputs, Map<String, String> other) {
    return outputs.entrySet().stream().filter(e -> e.getKey().startsWith("trigger|") && !e.getValue().equals(other.get(e.getKey())))
        .map(Map.Entry::getKey).toList();
  }

  static String field(String json, String name) {
    try {
      return Json.mapper().readTree(json).get(name).asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DriftResult drift(Line l) {
    try {
      return Json.mapper().readValue(l.value(), DriftResult.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PerformanceResult performance(Line l) {
    try {
      return Json.mapper().readValue(l.value(), PerformanceResult.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static java.util.Properties properties(Path fixture) throws IOException {
    java.util.Properties p = new java.util.Properties();
    try (var r = Files.newBufferedReader(fixture.resolve("fixture.properties"))) {
      p.load(r);
    }
    return p;
  }

  /** The job as production builds it, reading the run's two topics, with collecting sinks. */
  static SavepointFixture.Deployment deployment(MonitorSpec spec) {
    return (conf, run) -> {
      Configuration c = new Configuration(conf);
      c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
      // A checkpoint a subtask declines because its input ended ("task is closing") is no failure.
      c.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, Integer.MAX_VALUE);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
      env.enableCheckpointing(500);
      KafkaConfig kafka = KafkaConfig.of(KafkaExtension.broker().bootstrapServers());
      CollectingSink<RetrainTrigger> triggers = CollectingSink.of(run.name(), t -> new Output("trigger|" + t.triggerId(),
          withoutWallClock(t)));
      CollectingSink<Alert> alerts = CollectingSink.of(run.name(), a -> new Output("alert|" + a.alertId(), withoutWallClock(a)));
      CollectingSink<DeadLetter> deadLetters = CollectingSink.of(run.name(), d -> new Output(
          "dead-letter|" + d.stage() + "|" + d.partition() + "|" + d.offset() + "|" + d.reason(), d.recordTimestamp() + ""));
      // A long idle timeout: a pause of the shared test machine must not let one input's watermark run ahead.
      new RetrainTriggerJob(
          KafkaSources.rawUntil(kafka, List.of(run.topic(DRIFT)), run.name(), run.stoppingOffsets(DRIFT)),
          KafkaSources.rawUntil(kafka, List.of(run.topic(PERFORMANCE)), run.name(), run.stoppingOffsets(PERFORMANCE)),
          new RetrainTriggerJob.Outputs(List.of(NamedSink.of("collected", triggers)), List.of(NamedSink.of("collected", alerts)),
              deadLetters),
          new ModelRegistry(List.of(spec)), Duration.ofHours(1)).build(env);
      return env.executeAsync("retrain trigger " + run.name());
    };
  }

  static String withoutWallClock(Object record) {
    return WrittenAt.without(record);
  }
}
