package dev.driftline.jobs.retraintrigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.io.WrittenAt;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.PolicyEngine;
import dev.driftline.core.trigger.PolicyState;
import dev.driftline.core.trigger.WindowDriftSummary;
import dev.driftline.jobs.retraintrigger.operators.PolicyFunction;
import dev.driftline.runtime.kafka.RawRecord;
import dev.driftline.services.FlinkTestCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Same results, same decisions: the trigger job run twice on the same drift results and
 * performance updates (each window updated at its end and at three later points as its labels
 * come, as the drift job writes them), once at parallelism 1 with checkpoints every 5 s, once at
 * parallelism 2 every 200 ms, both on in-memory inputs read as one Kafka partition each. Both runs
 * must write the alerts and triggers of the policy applied in event-time order (drift window at
 * its end, then the performance updates due at that point), apart from {@code created_at}; how the
 * two inputs interleave on arrival must not matter.
 */
class SameResultsSameDecisionsTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final int WINDOWS = 72;
  static final Instant T0 = ScriptedDrift.T0;
  static final String YAML = String.join("\n",
      "model_id: m", "task: binary_classification",
      "features: [{name: a, type: numeric}, {name: b, type: numeric}, {name: c, type: numeric}, {name: d, type: categorical}]",
      "reference: {source: previous_window}", "window: {size: 1h}",
      "policy: {dataset_drift: {share: 0.5, k: 2, n: 3}, psi_hard_limit: 0.25, warn_psi: 0.1, cooldown: 3h,",
      "  rearm_after_windows: 2, performance: [{metric: accuracy, min: 0.75, k: 2, n: 3, min_label_coverage: 0.3}]}");
  static MonitorSpec spec;
  static final List<DriftResult> drift = new ArrayList<>();
  static final List<PerformanceResult> performance = new ArrayList<>();
  static InMemoryTriggerRun.Decisions runA;
  static InMemoryTriggerRun.Decisions runB;

  @BeforeAll
  static void runTwice(@InjectMiniCluster MiniCluster cluster) throws Exception {
    spec = MonitorSpecParser.parse("m.yaml", YAML);
    drift.addAll(ScriptedDrift.of(WINDOWS).results());
    // The updates in the order the drift job writes them: by update point.
    performance.addAll(updates(WINDOWS));
    List<RawRecord> driftRecords = InMemoryTriggerRun.raw("drift-results", drift);
    List<RawRecord> performanceRecords = InMemoryTriggerRun.raw("performance", performance);
    runA = InMemoryTriggerRun.bounded(cluster, "ord-a", InMemoryTriggerRun.Settings.of(1, 5_000), spec, driftRecords, performanceRecords);
    runB = InMemoryTriggerRun.bounded(cluster, "ord-b", InMemoryTriggerRun.Settings.of(2, 200), spec, driftRecords, performanceRecords);
  }

  /**
   * Every window's realized performance at its end and 1, 2 and 3 hours later, label coverage
   * rising 0.1, 0.4, 0.7, 0.9, accuracy below the limit in episodes; sorted by update point.
   */
  static List<PerformanceResult> updates(int windows) {
    return updates(windows, DriftResult.ALL_SEGMENTS, 5);
  }

  /** As {@link #updates(int)}, for one segment, drawn with {@code seed}. */
  static List<PerformanceResult> updates(int windows, String segment, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] coverage = {0.1, 0.4, 0.7, 0.9};
    List<PerformanceResult> out = new ArrayList<>();
    for (int i = 0; i < windows; i++) {
      boolean bad = (i / 7) % 3 == 1;
      double accuracy = (bad ? 0.68 : 0.82) + 0.06 * (random.nextDouble() - 0.5);
      Instant start = T0.plus(Duration.ofHours(i));
      Instant end = start.plus(Duration.ofHours(1));
      for (int k = 0; k < coverage.length; k++) {
        double a = accuracy + 0.02 * (random.nextDouble() - 0.5);
        out.add(new PerformanceResult("m", segment, start.toString(), end.toString(), 1000,
            (long) (1000 * coverage[k]), coverage[k], true, a, null, null, null, null, null, null, null, null, null, null,
            end.toString()).withLabelsUntil(end.plus(Duration.ofHours(k)).toEpochMilli()));
      }
    }
    out.sort(Comparator.comparing(PerformanceResult::labelsUntil).thenComparing(PerformanceResult::windowStart));
    return out;
  }

  /**
   * The alerts (triggers' critical alerts among them) of the policy applied in event-time order:
   * at each time, the drift window ending then, then the performance updates due then by window
   * start; {@code due} says when a performance update is due.
   */
  static List<Alert> inEventTimeOrder(ToLongFunction<PerformanceResult> due) {
    record Step(long time, int order, String window, Object input) {}
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < drift.size(); i += ScriptedDrift.RESULTS_PER_WINDOW) {
      List<DriftResult> window = drift.subList(i, i + ScriptedDrift.RESULTS_PER_WINDOW);
      steps.add(new Step(Instant.parse(window.get(0).windowEnd()).toEpochMilli(), 0, window.get(0).windowStart(), window));
    }
    for (PerformanceResult p : performance) {
      steps.add(new Step(due.applyAsLong(p), 1, p.windowStart(), p));
    }
    steps.sort(Comparator.comparingLong(Step::time).thenComparingInt(Step::order).thenComparing(Step::window));
    PolicyState state = new PolicyState();
    List<Alert> alerts = new ArrayList<>();
    for (Step s : steps) {
      if (s.input() instanceof PerformanceResult p) {
        alerts.addAll(PolicyEngine.onPerformance(spec, DriftResult.ALL_SEGMENTS, state, p, 0).alerts());
      } else {
        @SuppressWarnings("unchecked")
        List<DriftResult> window = (List<DriftResult>) s.input();
        WindowDriftSummary w = new WindowDriftSummary(window.get(0).windowStart(), window.get(0).windowEnd());
        window.forEach(w::add);
        alerts.addAll(PolicyEngine.onDriftWindow(spec, DriftResult.ALL_SEGMENTS, state, w, 0).alerts());
      }
    }
    return alerts;
  }

  static List<String> json(List<Alert> alerts) {
    List<String> out = new ArrayList<>();
    for (Alert a : alerts) {
      out.add(WrittenAt.without(a));
    }
    out.sort(null);
    return out;
  }

  @Test
  void theScriptDecidesDifferentlyWhenPerformanceIsTakenOutOfEventTimeOrder() {
    List<Alert> ordered = inEventTimeOrder(PolicyFunction::point);
    assertThat(ordered.stream().filter(a -> a.kind().equals("retrain_trigger")).count()).as("triggers").isGreaterThanOrEqualTo(4);
    assertThat(ordered.stream().filter(a -> a.message().contains("accuracy below"))).as("performance reasons").isNotEmpty();
    assertThat(ordered.stream().filter(a -> a.message().contains("dataset drift") || a.message().contains("PSI")))
        .as("drift reasons").isNotEmpty();
    // Every update taken when its window closes (as if all labels had come at once): other decisions.
    assertThat(json(inEventTimeOrder(p -> Instant.parse(p.windowEnd()).toEpochMilli()))).isNotEqualTo(json(ordered));
  }

  @Test
  void bothRunsWriteTheDecisionsOfThePolicyInEventTimeOrder() {
    List<String> expected = json(inEventTimeOrder(PolicyFunction::point));
    assertThat(runA.alerts()).as("run a: alerts").containsExactlyElementsOf(expected);
    assertThat(runB.alerts()).as("run b: alerts").containsExactlyElementsOf(expected);
    assertThat(runB.triggers()).as("triggers").hasSizeGreaterThanOrEqualTo(4).containsExactlyElementsOf(runA.triggers());
    assertThat(runA.deadLetters()).as("run a: dead letters").isEmpty();
    assertThat(runB.deadLetters()).as("run b: dead letters").isEmpty();
  }
}
