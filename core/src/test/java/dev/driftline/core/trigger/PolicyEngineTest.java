package dev.driftline.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.drift.methods.PcaReconstructionDriftTest;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scripted window streams through the policy: each condition fires exactly when it should. */
class PolicyEngineTest {
  static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
  static final String ALL = DriftResult.ALL_SEGMENTS;

  static MonitorSpec spec(String policy) {
    return MonitorSpecParser.parse("p.yaml", String.join("\n",
        "model_id: m", "task: binary_classification",
        "features: [{name: a, type: numeric}, {name: b, type: numeric}, {name: c, type: numeric}, {name: d, type: categorical, critical: true}]",
        "reference: {source: previous_window}", "window: {size: 1h}", "policy: " + policy.replaceFirst("^\\{", "{min_samples: 50, ")));
  }

  /** A drift window: features a, b, c, d with the given KS drift flags and PSI values. */
  static WindowDriftSummary window(int i, boolean[] drift, double[] psi) {
    String start = T0.plus(Duration.ofHours(i)).toString();
    String end = T0.plus(Duration.ofHours(i + 1)).toString();
    WindowDriftSummary w = new WindowDriftSummary(start, end);
    String[] names = {"a", "b", "c", "d"};
    for (int f = 0; f < 4; f++) {
      w.add(new DriftResult("m", ALL, names[f], f == 3 ? "categorical" : "numeric", f == 3 ? "chi2" : "ks", 0.1,
          drift[f] ? 1e-6 : 0.5, drift[f] ? 1e-6 : 0.5, 0.05, drift[f], "exact", null, null, start, end, 1000, 100, "ref-1", end));
      w.add(new DriftResult("m", ALL, names[f], f == 3 ? "categorical" : "numeric", "psi", psi[f], null, null, 0.25,
          psi[f] > 0.25, "binned", null, null, start, end, 1000, 100, "ref-1", end));
    }
    return w;
  }

  static WindowDriftSummary share(int i, int drifted) {
    boolean[] d = new boolean[4];
    for (int f = 0; f < drifted && f < 3; f++) {
      d[f] = true;
    }
    return window(i, d, new double[] {0.01, 0.01, 0.01, 0.01});
  }

  static PerformanceResult perf(int i, double auc, double coverage) {
    return new PerformanceResult("m", ALL, T0.plus(Duration.ofHours(i)).toString(), T0.plus(Duration.ofHours(i + 1)).toString(),
        1000, (long) (1000 * coverage), coverage, true, 0.8, 0.5, 0.5, 0.5, auc, 0.0, 0.4, 0.1, 0.2, null, null, "2026-05-02T00:00:00Z");
  }

  record Run(List<RetrainTrigger> triggers, List<Alert> alerts, List<String> suppressed) {}

  static Run drift(MonitorSpec spec, List<WindowDriftSummary> windows) {
    PolicyState s = new PolicyState();
    Run run = new Run(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (WindowDriftSummary w : windows) {
      record(run, PolicyEngine.onDriftWindow(spec, ALL, s, w, 0));
    }
    return run;
  }

  static void record(Run run, PolicyEngine.Decision d) {
    if (d.trigger() != null) {
      run.triggers().add(d.trigger());
    }
    run.alerts().addAll(d.alerts());
    if (d.suppressedBy() != null) {
      run.suppressed().add(d.suppressedBy());
    }
  }

  @Test
  void datasetDriftFiresOnKOfNWindowsOnly() {
    MonitorSpec spec = spec("{dataset_drift: {share: 0.5, k: 2, n: 3}, cooldown: 1h}");
    // shares: 2/4, 0, 2/4 -> 2 of the last 3 at window 2
    Run run = drift(spec, List.of(share(0, 2), share(1, 0), share(2, 2)));
    assertThat(run.triggers()).hasSize(1);
    assertThat(run.triggers().get(0).trainingTo()).isEqualTo(T0.plus(Duration.ofHours(3)).toString());
    assertThat(run.triggers().get(0).reasons()).singleElement().asString().startsWith("dataset drift: 2 of 4 features drifted");
    assertThat(run.alerts()).filteredOn(a -> a.kind().equals("dataset_drift")).hasSize(1);

    Run apart = drift(spec, List.of(share(0, 2), share(1, 0), share(2, 0), share(3, 2)));
    assertThat(apart.triggers()).isEmpty();
    assertThat(apart.alerts()).extracting(Alert::severity).containsOnly("warning");
  }

  @Test
  void criticalFeatureDriftFiresAtOnce() {
    MonitorSpec spec = spec("{cooldown: 1h}");
    Run run = drift(spec, List.of(window(0, new boolean[] {true, false, false, false}, new double[4]),
        window(1, new boolean[] {false, false, false, true}, new double[4])));
    assertThat(run.triggers()).singleElement().satisfies(t -> {
      assertThat(t.reasons()).containsExactly("critical feature d drifted (chi2 0.1000)");
      assertThat(t.trainingFrom()).isEqualTo(T0.plus(Duration.ofHours(1)).toString());
      assertThat(t.referenceId()).isEqualTo("ref-1");
    });
    assertThat(run.alerts()).filteredOn(a -> a.severity().equals("critical")).singleElement()
        .satisfies(a -> assertThat(a.triggerId()).isEqualTo(run.triggers().get(0).triggerId()));
  }

  @Test
  void psiAboveTheHardLimitTriggersAndModeratePsiOnlyWarns() {
    MonitorSpec spec = spec("{psi_hard_limit: 0.25, warn_psi: 0.1, cooldown: 1h}");
    Run moderate = drift(spec, List.of(window(0, new boolean[4], new double[] {0.15, 0.01, 0.2, 0.01})));
    assertThat(moderate.triggers()).isEmpty();
    assertThat(moderate.alerts()).singleElement().satisfies(a -> {
      assertThat(a.severity()).isEqualTo("warning");
      assertThat(a.kind()).isEqualTo("moderate_drift");
      assertThat(a.message()).contains("on a, c in window");
    });

    Run major = drift(spec, List.of(window(0, new boolean[4], new double[] {0.31, 0.01, 0.01, 0.01})));
    assertThat(major.triggers()).singleElement().satisfies(t ->
        assertThat(t.reasons()).containsExactly("PSI of a is 0.3100 > hard limit 0.2500"));
  }

  @Test
  void performanceFiresOnKOfNWindowsWithEnoughLabelCoverage() {
    MonitorSpec spec = spec("{performance: [{metric: auc, min: 0.7, k: 3, n: 5, min_label_coverage: 0.3}], cooldown: 1h}");
    PolicyState s = new PolicyState();
    Run run = new Run(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    record(run, PolicyEngine.onPerformance(spec, ALL, s, perf(0, 0.65, 0.9), 0));
    record(run, PolicyEngine.onPerformance(spec, ALL, s, perf(1, 0.60, 0.1), 0)); // too few labels: does not count
    record(run, PolicyEngine.onPerformance(spec, ALL, s, perf(2, 0.80, 0.9), 0));
    record(run, PolicyEngine.onPerformance(spec, ALL, s, perf(3, 0.66, 0.9), 0));
    assertThat(run.triggers()).isEmpty();
    assertThat(run.alerts()).extracting(Alert::kind).containsExactly("performance", "performance");
    // Late labels raise window 1's coverage: now 3 of the last 5 windows are bad.
    record(run, PolicyEngine.onPerformance(spec, ALL, s, perf(1, 0.61, 0.5), 0));
    assertThat(run.triggers()).singleElement().satisfies(t -> {
      assertThat(t.reasons()).containsExactly("auc below 0.7000 in 3 of the last 4 windows (label coverage >= 0.30)");
      assertThat(t.evidence()).extracting(Evidence::windowStart).containsExactly(
          T0.toString(), T0.plus(Duration.ofHours(1)).toString(), T0.plus(Duration.ofHours(3)).toString());
      assertThat(t.trainingFrom()).isEqualTo(T0.toString());
    });
  }

  @Test
  void pageHinkleyFiresWhenTheErrorRateRises() {
    MonitorSpec spec = spec("{page_hinkley: {delta: 0.005, lambda: 0.2, min_windows: 5}, cooldown: 1h}");
    PolicyState s = new PolicyState();
    List<Integer> fired = new ArrayList<>();
    double[] accuracy = {0.90, 0.91, 0.89, 0.90, 0.90, 0.91, 0.90, 0.75, 0.72, 0.70, 0.70};
    for (int i = 0; i < accuracy.length; i++) {
      PerformanceResult p = new PerformanceResult("m", ALL, T0.plus(Duration.ofHours(i)).toString(),
          T0.plus(Duration.ofHours(i + 1)).toString(), 1000, 1000, 1.0, true, accuracy[i], null, null, null, null, null, null, null, null, null, null, "x");
      if (PolicyEngine.onPerformance(spec, ALL, s, p, 0).trigger() != null) {
        fired.add(i);
      }
    }
    // Deviations after the drop: 0.14, then 0.14+0.15=0.29 > 0.2 at window 8.
    assertThat(fired).containsExactly(8);
  }

  /** A performance window with only accuracy (the error rate is 1 - accuracy), fully labelled unless said. */
  static PerformanceResult accuracy(int i, double accuracy, double coverage) {
    return new PerformanceResult("m", ALL, T0.plus(Duration.ofHours(i)).toString(), T0.plus(Duration.ofHours(i + 1)).toString(),
        1000, (long) (1000 * coverage), coverage, true, accuracy, null, null, null, null, null, null, null, null, null, null, "x");
  }

  static Run performance(MonitorSpec spec, List<PerformanceResult> windows) {
    PolicyState s = new PolicyState();
    Run run = new Run(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (PerformanceResult p : windows) {
      record(run, PolicyEngine.onPerformance(spec, ALL, s, p, 0));
    }
    return run;
  }

  @Test
  void adwinFiresOnceWhenTheErrorRateRisesAndIgnoresAFall() {
    MonitorSpec spec = spec("{adwin: {delta: 0.002, min_windows: 5}, cooldown: 1h}");
    List<PerformanceResult> windows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      windows.add(accuracy(i, i % 2 == 0 ? 0.90 : 0.88, 1.0)); // error 0.10, 0.12
    }
    for (int i = 100; i < 200; i++) {
      windows.add(accuracy(i, 0.70, 1.0)); // error 0.30
    }
    Run run = performance(spec, windows);
    // At window 184 (85 windows at 0.30) the split 96 | 89 (a bucket boundary: 4 windows at ~0.11
    // on the recent side) has σ²_W = 0.0090197, m = 46.19, ln(2/δ') = ln(1000 ln 185) = 8.5603,
    // ε_cut = sqrt(2/m σ² ln(2/δ')) + 2/(3m) ln(2/δ') = 0.0578 + 0.1236 = 0.1814 < 0.1815. Values
    // in [0, 1] are what the bound assumes, so its second term needs dozens of windows each side.
    assertThat(run.triggers()).singleElement().satisfies(t -> {
      assertThat(t.trainingTo()).isEqualTo(T0.plus(Duration.ofHours(185)).toString());
      assertThat(t.reasons()).containsExactly(
          "ADWIN: error rate rose from 0.1100 (older 96 windows) to 0.2915 (recent 89 windows): difference 0.1815 > ε_cut 0.1814");
      assertThat(t.evidence()).singleElement().satisfies(e -> {
        assertThat(e.condition()).isEqualTo("adwin");
        assertThat(e.metric()).isEqualTo("error_rate");
        assertThat(e.windowStart()).isEqualTo(T0.plus(Duration.ofHours(184)).toString());
        assertThat(e.value()).isCloseTo(0.1815, within(1e-4));
        assertThat(e.threshold()).isCloseTo(0.1814, within(1e-4));
      });
    });

    List<PerformanceResult> falling = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      falling.add(accuracy(i, i < 100 ? 0.70 : 0.90, 1.0));
    }
    assertThat(performance(spec, falling).triggers()).isEmpty();
  }

  /** A repeating in-control error rate: mean 0.105, sd 0.0158 over a cycle. */
  static final double[] CYCLE = {0.10, 0.12, 0.09, 0.11, 0.13, 0.08, 0.10, 0.11, 0.12, 0.09};

  @Test
  void ertOnTheErrorRateFiresOnceAfterItsWarmUp() {
    MonitorSpec spec = spec("{ert: {expected_run_windows: 200, warmup_windows: 20}, cooldown: 1h}");
    List<PerformanceResult> windows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      windows.add(accuracy(i, 1 - CYCLE[i % CYCLE.length], 1.0)); // warm-up 0..19, then in control
    }
    for (int i = 60; i < 70; i++) {
      windows.add(accuracy(i, 0.85, 1.0)); // error 0.15: 2.85 sd above the warm-up's mean
    }
    Run run = performance(spec, windows);
    assertThat(run.triggers()).singleElement().satisfies(t -> {
      assertThat(t.evidence()).singleElement().satisfies(e -> {
        assertThat(e.condition()).isEqualTo("ert");
        assertThat(e.metric()).isEqualTo("error_rate");
        assertThat(e.windowStart()).isEqualTo(T0.plus(Duration.ofHours(61)).toString());
        assertThat(e.value()).isCloseTo(4.8481, within(1e-4));
      });
      // z = (0.15 - 0.105) / 0.0154 = 2.92 a window, less the allowance 0.5: 2.42 at window 60, 4.85 > h at 61.
      assertThat(t.reasons()).containsExactly("ERT CUSUM: error rate rose (CUSUM 4.8481 > h 3.8333 after 42 windows; in control: "
          + "mean 0.1050, sd 0.0154 over 20 warm-up windows, h set for a false alarm every 200 windows)");
    });
    assertThat(run.suppressed()).containsOnly("rearm");
  }

  /**
   * A drift window in which feature a's KS statistic is {@code ksOfA}, on {@code nCurrent} values
   * (the other results as in {@link #window}, on 100).
   */
  static WindowDriftSummary ksWindow(int i, double ksOfA, long nCurrent) {
    WindowDriftSummary w = window(i, new boolean[4], new double[] {0.01, 0.01, 0.01, 0.01});
    WindowDriftSummary out = new WindowDriftSummary(w.windowStart(), w.windowEnd());
    for (DriftResult r : w.results()) {
      out.add(r.feature().equals("a") && r.test().equals("ks") ? new DriftResult(r.modelId(), r.segment(), "a", "numeric", "ks",
          ksOfA, 0.5, 0.5, 0.05, false, "exact", null, null, r.windowStart(), r.windowEnd(), 1000, nCurrent, "ref-1", r.windowEnd()) : r);
    }
    return out;
  }

  @Test
  void ertOnAFeatureStatisticFiresOnceFromTheDriftWindows() {
    MonitorSpec spec = spec("{ert: {expected_run_windows: 200, warmup_windows: 20, watch: a}, cooldown: 24h}");
    Run run = drift(spec, ksWindows(100));
    assertThat(run.triggers()).singleElement().satisfies(t -> {
      assertThat(t.evidence()).singleElement().satisfies(e -> {
        assertThat(e.condition()).isEqualTo("ert");
        assertThat(e.feature()).isEqualTo("a");
        assertThat(e.test()).isEqualTo("ks");
        assertThat(e.windowStart()).isEqualTo(T0.plus(Duration.ofHours(60)).toString());
      });
      // z = (0.06 - 0.0315) / 0.0046 = 6.17, less 0.5: 5.67 > h on the first window of the rise.
      assertThat(t.reasons()).containsExactly("ERT CUSUM: ks statistic of a rose (CUSUM 5.6730 > h 3.6667 after 41 windows; "
          + "in control: mean 0.0315, sd 0.0046 over 20 warm-up windows, h set for a false alarm every 200 windows)");
      assertThat(t.referenceId()).isEqualTo("ref-1");
    });
    // The rise goes on and the CUSUM, restarted, fires again at once: not re-armed, no second trigger.
    assertThat(run.suppressed()).hasSize(9).containsOnly("rearm");

    // Results on fewer than min_samples current values (50 here) are not fed: the warm-up never completes.
    assertThat(drift(spec, ksWindows(49)).triggers()).isEmpty();
  }

  /** 60 windows of a KS statistic 0.024 .. 0.039 on feature a, then 10 at 0.06. */
  static List<WindowDriftSummary> ksWindows(long nCurrent) {
    List<WindowDriftSummary> windows = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      windows.add(ksWindow(i, i < 60 ? 0.3 * CYCLE[i % CYCLE.length] : 0.06, nCurrent));
    }
    return windows;
  }

  @Test
  void errorRateDetectorsTakeEachWindowOnceWhenItHasEnoughLabels() {
    MonitorSpec spec = spec("{performance: [{metric: accuracy, min: 0.1, k: 1, n: 3, min_label_coverage: 0.5}], "
        + "ert: {expected_run_windows: 200, warmup_windows: 20}, adwin: {}}");
    PolicyState s = new PolicyState();
    PolicyEngine.onPerformance(spec, ALL, s, accuracy(0, 0.9, 0.2), 0);
    assertThat(s.detectors).as("coverage 0.2 < 0.5: not fed").isEmpty();
    PolicyEngine.onPerformance(spec, ALL, s, accuracy(0, 0.9, 0.6), 0);
    PolicyEngine.onPerformance(spec, ALL, s, accuracy(0, 0.8, 0.9), 0); // the same window again: fed once only
    PolicyEngine.onPerformance(spec, ALL, s, accuracy(1, 0.88, 0.7), 0);
    assertThat(s.detectors.get("ert").get("warmup")).extracting(JsonNode::asDouble)
        .containsExactly(0.09999999999999998, 0.12);
    assertThat(s.detectors.get("adwin").get("rows").get(0)).hasSize(2);
    assertThat(s.detectorFed).containsExactly(T0.toString(), T0.plus(Duration.ofHours(1)).toString());
  }

  @Test
  void cooldownAndRearmingSuppressExactlyTheRepeats() {
    MonitorSpec spec = spec("{dataset_drift: {share: 0.5, k: 1, n: 1}, cooldown: 6h, rearm_after_windows: 2}");
    // drift, drift (rearm), clear, clear (re-armed), drift at window 4 (cooldown until 7h), clear, clear, drift at window 7 (fires)
    Run run = drift(spec, List.of(share(0, 2), share(1, 2), share(2, 0), share(3, 0), share(4, 2), share(5, 0), share(6, 0),
        share(7, 2)));
    assertThat(run.triggers()).extracting(RetrainTrigger::trainingTo)
        .containsExactly(T0.plus(Duration.ofHours(1)).toString(), T0.plus(Duration.ofHours(8)).toString());
    assertThat(run.suppressed()).containsExactly("rearm", "cooldown");
  }

  @Test
  void aStreamFlappingAroundTheThresholdTriggersOnce() {
    MonitorSpec spec = spec("{dataset_drift: {share: 0.5, k: 1, n: 1}, cooldown: 1h, rearm_after_windows: 2}");
    List<WindowDriftSummary> flapping = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      flapping.add(share(i, i % 2 == 0 ? 2 : 1)); // share 0.5 and 0.25 alternately
    }
    Run run = drift(spec, flapping);
    assertThat(run.triggers()).hasSize(1);
    assertThat(run.suppressed()).hasSize(19).containsOnly("rearm");
  }

  @Test
  void triggerIdsAreDeterministic() {
    MonitorSpec spec = spec("{psi_hard_limit: 0.25}");
    RetrainTrigger a = drift(spec, List.of(window(0, new boolean[4], new double[] {0.5, 0, 0, 0}))).triggers().get(0);
    RetrainTrigger b = drift(spec, List.of(window(0, new boolean[4], new double[] {0.5, 0, 0, 0}))).triggers().get(0);
    assertThat(a.triggerId()).isEqualTo(b.triggerId()).startsWith("trg-").hasSize(24);
    assertThat(a.policyVersion()).isEqualTo(spec.specHash().substring(0, 12));
  }

  @Test
  void aMultivariateResultIsEvidenceButNotAFeatureOfTheDriftShare() {
    WindowDriftSummary w = share(0, 1);
    w.add(new DriftResult("m", ALL, PcaReconstructionDriftTest.FEATURE, PcaReconstructionDriftTest.FEATURE_TYPE,
        PcaReconstructionDriftTest.INSTANCE.id(), 1.2, null, null, 0.6, true, "reconstruction", null, null, w.windowStart(),
        w.windowEnd(), 10000, 100, "ref-1", w.windowEnd()));

    assertThat(w.featuresTested()).isEqualTo(4);
    assertThat(w.driftedFeatures()).containsExactly("a");
    assertThat(w.driftShare()).isEqualTo(0.25);
    assertThat(w.results()).hasSize(9);
  }
}
