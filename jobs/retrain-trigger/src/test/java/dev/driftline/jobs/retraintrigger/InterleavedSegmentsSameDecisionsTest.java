package dev.driftline.jobs.retraintrigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.io.WrittenAt;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Same results, same decisions, however a parallel drift job interleaves a model's segments: the
 * drift job writes one model's segments from several subtasks into one partition, so one segment's
 * window W+1 can come before another segment's W. The trigger job reads the same drift results and
 * performance updates of three segments, each input one in-memory partition read as a Kafka topic
 * is, twice: once with every segment in step (parallelism 2, checkpoints every 200 ms), once with
 * segment {@code x} one window ahead of the others in both inputs (parallelism 1, checkpoints every
 * 5 s), the drift results pausing after {@code x}'s window i+1 every third window, long enough for
 * periodic watermarks to be emitted before the other segments' window i comes. Both runs must
 * write exactly the alerts and triggers of the policy applied per segment in event-time order,
 * apart from {@code created_at}. A fourth segment, {@code z}, has drift results only (no
 * performance updates), so its own results never settle its order and it waits for the watermark.
 * A third run reads the second interleaving with unbounded sources (parallelism 1,
 * checkpoints every 500 ms) with the same pauses, where the watermark trails the newest result by
 * one slide, and must write the same decisions once a result far ahead moves the watermark past
 * all of them.
 */
class InterleavedSegmentsSameDecisionsTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final int WINDOWS = 48;
  static final Duration SLIDE = Duration.ofHours(1);
  /** The segment that runs one window ahead in the second interleaving. */
  static final String AHEAD = "x";
  static final List<String> SEGMENTS = List.of(DriftResult.ALL_SEGMENTS, AHEAD, "y");
  /** A segment with drift results only: the watermark alone settles when its windows are taken. */
  static final String DRIFT_ONLY = "z";
  /** The skewed runs' pause between batches, with watermarks every {@link #WATERMARK_MILLIS}: one comes in each pause. */
  static final Duration PAUSE = Duration.ofMillis(150);
  static final long WATERMARK_MILLIS = 50;
  static MonitorSpec spec;
  static final List<DriftResult> drift = new ArrayList<>();
  static final List<PerformanceResult> performance = new ArrayList<>();
  static InMemoryTriggerRun.Decisions inStep;
  static InMemoryTriggerRun.Decisions ahead;
  static InMemoryTriggerRun.Decisions live;

  @BeforeAll
  static void runBothInterleavings(@InjectMiniCluster MiniCluster cluster) throws Exception {
    spec = MonitorSpecParser.parse("m.yaml", SameResultsSameDecisionsTest.YAML);
    for (int s = 0; s < SEGMENTS.size(); s++) {
      drift.addAll(ScriptedDrift.results(WINDOWS, SEGMENTS.get(s), 11 + s));
      performance.addAll(SameResultsSameDecisionsTest.updates(WINDOWS, SEGMENTS.get(s), 5 + s));
    }
    drift.addAll(ScriptedDrift.results(WINDOWS, DRIFT_ONLY, 21));

    inStep = InMemoryTriggerRun.bounded(cluster, "seg-step", InMemoryTriggerRun.Settings.of(2, 200), spec,
        InMemoryTriggerRun.raw("drift-results", flatten(windowsInOrder(Duration.ZERO))),
        InMemoryTriggerRun.raw("performance", performanceInOrder(Duration.ZERO)));

    // With pauses as in the unbounded run below: a bounded run must not emit a watermark before
    // the end of its input, however long its input takes to come.
    List<List<DriftResult>> driftBatches = batchesWithPauses(windowsInOrder(SLIDE));
    ahead = InMemoryTriggerRun.bounded(cluster, "seg-ahead", new InMemoryTriggerRun.Settings(1, 5_000, WATERMARK_MILLIS), spec,
        raw("drift-results", driftBatches), List.of(InMemoryTriggerRun.raw("performance", performanceInOrder(SLIDE))), PAUSE);

    // Unbounded: the same interleaving, then one result of each input far ahead, which moves the
    // watermark past every result above (and is itself never taken).
    List<DriftResult> far = ScriptedDrift.results(1000, AHEAD, 31);
    driftBatches.add(List.of(far.get(far.size() - 1)));
    List<PerformanceResult> updates = new ArrayList<>(performanceInOrder(SLIDE));
    List<PerformanceResult> farUpdates = SameResultsSameDecisionsTest.updates(1000, AHEAD, 41);
    updates.add(farUpdates.get(farUpdates.size() - 1));
    PolicyEngine.Decision[] expected = decisions(false);
    live = InMemoryTriggerRun.unbounded(cluster, "seg-live", new InMemoryTriggerRun.Settings(1, 500, WATERMARK_MILLIS), spec,
        raw("drift-results", driftBatches), List.of(InMemoryTriggerRun.raw("performance", updates)), PAUSE,
        triggers(expected).size(), alerts(expected).size());
  }

  /**
   * {@code windows} in batches: a batch ends after the leading segment's window i+1 every third
   * window, so that the job reads it, and its watermark moves on, before the other segments'
   * window i comes.
   */
  static List<List<DriftResult>> batchesWithPauses(List<List<DriftResult>> windows) {
    List<List<DriftResult>> batches = new ArrayList<>();
    List<DriftResult> batch = new ArrayList<>();
    for (List<DriftResult> window : windows) {
      batch.addAll(window);
      int index = (int) (Instant.parse(window.get(0).windowStart()).getEpochSecond() - ScriptedDrift.T0.getEpochSecond())
          / (int) SLIDE.toSeconds();
      if (window.get(0).segment().equals(AHEAD) && index % 3 == 1) {
        batches.add(batch);
        batch = new ArrayList<>();
      }
    }
    batches.add(batch);
    return batches;
  }

  /** The batches' results as one partition's records, offsets running on across batches. */
  static List<List<RawRecord>> raw(String topic, List<List<DriftResult>> batches) {
    List<RawRecord> all = InMemoryTriggerRun.raw(topic, flatten(batches));
    List<List<RawRecord>> out = new ArrayList<>();
    int from = 0;
    for (List<DriftResult> batch : batches) {
      out.add(all.subList(from, from + batch.size()));
      from += batch.size();
    }
    return out;
  }

  static <T> List<T> flatten(List<List<T>> lists) {
    return lists.stream().flatMap(List::stream).toList();
  }

  /** Each (segment, window)'s results together, by window end, {@link #AHEAD} shifted {@code lead} earlier. */
  static List<List<DriftResult>> windowsInOrder(Duration lead) {
    Map<String, List<DriftResult>> windows = new LinkedHashMap<>();
    for (DriftResult r : drift) {
      windows.computeIfAbsent(r.segment() + "|" + r.windowEnd(), k -> new ArrayList<>()).add(r);
    }
    List<List<DriftResult>> out = new ArrayList<>(windows.values());
    out.sort(Comparator.<List<DriftResult>>comparingLong(w -> sendAt(w.get(0).segment(), Instant.parse(w.get(0).windowEnd()).toEpochMilli(), lead))
        .thenComparing(w -> !w.get(0).segment().equals(AHEAD))
        .thenComparing(w -> w.get(0).segment()));
    return out;
  }

  /** The updates by point, {@link #AHEAD}'s shifted {@code lead} earlier. */
  static List<PerformanceResult> performanceInOrder(Duration lead) {
    List<PerformanceResult> out = new ArrayList<>(performance);
    out.sort(Comparator.<PerformanceResult>comparingLong(p -> sendAt(p.segment(), PolicyFunction.point(p), lead))
        .thenComparing(p -> !p.segment().equals(AHEAD))
        .thenComparing(PerformanceResult::segment).thenComparing(PerformanceResult::windowStart));
    return out;
  }

  static long sendAt(String segment, long time, Duration lead) {
    return segment.equals(AHEAD) ? time - lead.toMillis() : time;
  }

  /**
   * The policy applied per segment in event-time order: at each time the segment's drift window
   * ending then (its results by feature and test), then its performance updates due then by window
   * start; with {@code performanceFirst}, the updates go before the drift window of the same time.
   */
  static PolicyEngine.Decision[] decisions(boolean performanceFirst) {
    record Step(String segment, long time, int order, String window, Object input) {}
    Map<String, List<DriftResult>> windows = new TreeMap<>();
    for (DriftResult r : drift) {
      windows.computeIfAbsent(r.segment() + "|" + r.windowEnd(), k -> new ArrayList<>()).add(r);
    }
    List<Step> steps = new ArrayList<>();
    for (List<DriftResult> w : windows.values()) {
      w.sort(Comparator.comparing(DriftResult::feature).thenComparing(DriftResult::test));
      steps.add(new Step(w.get(0).segment(), Instant.parse(w.get(0).windowEnd()).toEpochMilli(), performanceFirst ? 1 : 0,
          w.get(0).windowStart(), w));
    }
    for (PerformanceResult p : performance) {
      steps.add(new Step(p.segment(), PolicyFunction.point(p), performanceFirst ? 0 : 1, p.windowStart(), p));
    }
    steps.sort(Comparator.comparing(Step::segment).thenComparingLong(Step::time).thenComparingInt(Step::order)
        .thenComparing(Step::window));
    Map<String, PolicyState> states = new HashMap<>();
    List<PolicyEngine.Decision> out = new ArrayList<>();
    for (Step s : steps) {
      PolicyState state = states.computeIfAbsent(s.segment(), k -> new PolicyState());
      if (s.input() instanceof PerformanceResult p) {
        out.add(PolicyEngine.onPerformance(spec, s.segment(), state, p, 0));
      } else {
        @SuppressWarnings("unchecked")
        List<DriftResult> w = (List<DriftResult>) s.input();
        WindowDriftSummary summary = new WindowDriftSummary(w.get(0).windowStart(), w.get(0).windowEnd());
        w.forEach(summary::add);
        out.add(PolicyEngine.onDriftWindow(spec, s.segment(), state, summary, 0));
      }
    }
    return out.toArray(PolicyEngine.Decision[]::new);
  }

  static List<String> alerts(PolicyEngine.Decision[] decisions) {
    List<Object> alerts = new ArrayList<>();
    for (PolicyEngine.Decision d : decisions) {
      alerts.addAll(d.alerts());
    }
    return json(alerts);
  }

  static List<String> triggers(PolicyEngine.Decision[] decisions) {
    List<Object> triggers = new ArrayList<>();
    for (PolicyEngine.Decision d : decisions) {
      if (d.trigger() != null) {
        triggers.add(d.trigger());
      }
    }
    return json(triggers);
  }

  static List<String> json(List<Object> records) {
    List<String> out = new ArrayList<>();
    for (Object r : records) {
      out.add(WrittenAt.without(r));
    }
    out.sort(null);
    return out;
  }

  @Test
  void everySegmentDecidesOnDriftAndPerformanceAndTheOrderAtOneTimeMatters() {
    PolicyEngine.Decision[] ordered = decisions(false);
    List<String> triggers = triggers(ordered);
    for (String segment : SEGMENTS) {
      assertThat(triggers.stream().filter(t -> t.contains("\"segment\":\"" + segment + "\""))).as("triggers of " + segment).isNotEmpty();
    }
    assertThat(alerts(ordered).stream().filter(a -> a.contains("accuracy below"))).as("performance reasons").isNotEmpty();
    assertThat(alerts(ordered).stream().filter(a -> a.contains("dataset drift") || a.contains("PSI"))).as("drift reasons").isNotEmpty();
    // A drift window taken after the performance updates due at its end (as when it comes after the
    // watermark passed it) changes decisions: the runs below would notice.
    PolicyEngine.Decision[] swapped = decisions(true);
    assertThat(alerts(swapped)).isNotEqualTo(alerts(ordered));
  }

  @Test
  void bothInterleavingsWriteTheDecisionsOfThePolicyInEventTimeOrder() {
    PolicyEngine.Decision[] ordered = decisions(false);
    assertThat(inStep.alerts()).as("segments in step: alerts").containsExactlyElementsOf(alerts(ordered));
    assertThat(inStep.triggers()).as("segments in step: triggers").containsExactlyElementsOf(triggers(ordered));
    assertThat(ahead.alerts()).as("segment x a window ahead: alerts").containsExactlyElementsOf(alerts(ordered));
    assertThat(ahead.triggers()).as("segment x a window ahead: triggers").containsExactlyElementsOf(triggers(ordered));
    assertThat(inStep.deadLetters()).as("dead letters").isEmpty();
    assertThat(ahead.deadLetters()).as("dead letters").isEmpty();
    assertThat(triggers(ordered).stream().filter(t -> t.contains("\"segment\":\"" + DRIFT_ONLY + "\""))).as("triggers of z").isNotEmpty();
  }

  @Test
  void anUnboundedRunWritesTheSameDecisionsOnceTheWatermarkPassesThem() {
    PolicyEngine.Decision[] ordered = decisions(false);
    assertThat(live.alerts()).as("unbounded: alerts").containsExactlyElementsOf(alerts(ordered));
    assertThat(live.triggers()).as("unbounded: triggers").containsExactlyElementsOf(triggers(ordered));
    assertThat(live.deadLetters()).as("dead letters").isEmpty();
  }
}
