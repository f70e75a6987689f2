package dev.driftline.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.core.estimation.EstimatedMetric;
import dev.driftline.core.estimation.MulticlassPerformanceEstimate;
import dev.driftline.core.estimation.PerformanceEstimate;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Performance conditions that judge windows without enough labels by their estimated metric. */
class EstimatedPerformancePolicyTest {
  static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
  static final String ALL = DriftResult.ALL_SEGMENTS;

  static MonitorSpec spec(String condition) {
    return MonitorSpecParser.parse("p.yaml", String.join("\n",
        "model_id: m", "task: binary_classification", "features: [{name: a, type: numeric}]",
        "reference: {source: profile, path: p.json}", "window: {size: 1h}",
        "policy: {performance: [{metric: auc, min: 0.7, k: 2, n: 3, min_label_coverage: 0.5" + condition + "}]}"));
  }

  /** Window {@code i}: realized AUC {@code auc} on {@code coverage} of its labels, with an estimated AUC of {@code estimatedAuc}. */
  static PerformanceResult window(int i, double coverage, Double auc, double estimatedAuc) {
    EstimatedMetric m = new EstimatedMetric(0.8, 0.75, 0.85);
    PerformanceEstimate e = new PerformanceEstimate("isotonic", "ref", 1000, 0.5, 0.95, true, 0.3, m, m, m, m,
        new EstimatedMetric(estimatedAuc, estimatedAuc - 0.05, estimatedAuc + 0.05));
    return new PerformanceResult("m", ALL, T0.plus(Duration.ofHours(i)).toString(), T0.plus(Duration.ofHours(i + 1)).toString(),
        1000, (long) (1000 * coverage), coverage, true, auc == null ? null : 0.8, auc == null ? null : 0.5,
        auc == null ? null : 0.5, auc == null ? null : 0.5, auc, auc == null ? null : 0.0, null, null, null, null, null,
        "2026-05-02T00:00:00Z").withEstimate(e);
  }

  static List<RetrainTrigger> run(MonitorSpec spec, PerformanceResult... windows) {
    PolicyState s = new PolicyState();
    List<RetrainTrigger> triggers = new ArrayList<>();
    for (PerformanceResult w : windows) {
      PolicyEngine.Decision d = PolicyEngine.onPerformance(spec, ALL, s, w, 0);
      if (d.trigger() != null) {
        triggers.add(d.trigger());
      }
    }
    return triggers;
  }

  @Test
  void unlabelledWindowsWithALowEstimateTriggerAndTheEvidenceSaysSo() {
    List<RetrainTrigger> t = run(spec(", estimate_below_coverage: 0.5"),
        window(0, 0.9, 0.85, 0.8), window(1, 0.0, null, 0.62), window(2, 0.1, 0.95, 0.64));

    assertThat(t).hasSize(1);
    assertThat(t.get(0).reasons()).containsExactly(
        "auc below 0.7000 in 2 of the last 3 windows (label coverage >= 0.50), 2 of them estimated before labels (coverage < 0.50)");
    assertThat(t.get(0).evidence()).extracting(Evidence::condition, Evidence::value, Evidence::labelCoverage)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("estimated_performance", 0.62, 0.0),
            org.assertj.core.groups.Tuple.tuple("estimated_performance", 0.64, 0.1));
  }

  @Test
  void withoutTheKeyOrWithEnoughLabelsTheRealizedMetricDecides() {
    assertThat(run(spec(""), window(0, 0.9, 0.85, 0.8), window(1, 0.0, null, 0.62), window(2, 0.1, 0.95, 0.64))).isEmpty();
    // Enough labels: realized AUC 0.9 wins over an estimate of 0.6.
    assertThat(run(spec(", estimate_below_coverage: 0.5"), window(0, 0.6, 0.9, 0.6), window(1, 0.7, 0.9, 0.6))).isEmpty();
  }

  @Test
  void keyIsValidatedWhereItIsWritten() {
    assertThatThrownBy(() -> MonitorSpecParser.parse("p.yaml", String.join("\n",
        "model_id: m", "task: binary_classification", "features: [{name: a, type: numeric}]",
        "reference: {source: previous_window}", "window: {size: 1h}",
        "policy: {performance: [{metric: log_loss, max: 0.7, estimate_below_coverage: 0.5}]}")))
        .hasMessage("p.yaml: policy.performance[0].estimate_below_coverage: metric log_loss is not estimated; "
            + "expected one of accuracy|precision|recall|f1|auc");
    assertThatThrownBy(() -> MonitorSpecParser.parse("p.yaml", String.join("\n",
        "model_id: m", "task: binary_classification", "features: [{name: a, type: numeric}]",
        "reference: {source: previous_window}", "window: {size: 1h}", "performance_estimation: {calibration: none}",
        "policy: {performance: [{metric: auc, min: 0.7, estimate_below_coverage: 0.5}]}")))
        .hasMessage("p.yaml: policy.performance[0].estimate_below_coverage: needs performance_estimation (it is off for this model)");
    assertThatThrownBy(() -> spec(", estimate_below_coverage: 1.5"))
        .hasMessageStartingWith("p.yaml: policy.performance[0].estimate_below_coverage: ");
  }

  /** A multiclass model's unlabelled windows are judged by the estimated macro F1 read back from their documents. */
  @Test
  void multiclassWindowsAreJudgedByTheirEstimatedMacroF1() throws Exception {
    MonitorSpec spec = MonitorSpecParser.parse("p.yaml", String.join("\n",
        "model_id: m", "task: multiclass_classification", "classes: [a, b, c]", "features: [{name: x, type: numeric}]",
        "reference: {source: profile, path: p.json}", "window: {size: 1h}",
        "policy: {performance: [{metric: macro_f1, min: 0.7, k: 2, n: 3, estimate_below_coverage: 0.5}]}"));
    List<PerformanceResult> windows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      double f1 = i == 0 ? 0.8 : 0.6;
      EstimatedMetric accuracy = new EstimatedMetric(0.7, 0.65, 0.75);
      MulticlassPerformanceEstimate e = new MulticlassPerformanceEstimate("isotonic", "ref", 1000, 0.95, true, accuracy,
          new EstimatedMetric(f1, f1 - 0.05, f1 + 0.05));
      PerformanceResult realized = new PerformanceResult("m", ALL, T0.plus(Duration.ofHours(i)).toString(),
          T0.plus(Duration.ofHours(i + 1)).toString(), 1000, 0, 0.0, true, java.util.Map.of(), null, null,
          "2026-05-02T00:00:00Z", false, null, null, T0.plus(Duration.ofHours(i + 1)).toString(), null).withEstimate(e);
      // As the retrain-trigger job reads it: the document's JSON.
      windows.add(dev.driftline.core.io.Json.records().readValue(dev.driftline.core.io.Json.bytes(realized),
          PerformanceResult.class));
    }
    assertThat(windows.get(1).windowEstimate()).isInstanceOf(MulticlassPerformanceEstimate.class);

    List<RetrainTrigger> t = run(spec, windows.toArray(PerformanceResult[]::new));

    assertThat(t).hasSize(1);
    assertThat(t.get(0).evidence()).extracting(Evidence::condition, Evidence::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("estimated_performance", 0.6),
            org.assertj.core.groups.Tuple.tuple("estimated_performance", 0.6));
    assertThatThrownBy(() -> MonitorSpecParser.parse("p.yaml", String.join("\n",
        "model_id: m", "task: multiclass_classification", "classes: [a, b, c]", "features: [{name: x, type: numeric}]",
        "reference: {source: profile, path: p.json}", "window: {size: 1h}",
        "policy: {performance: [{metric: log_loss, max: 0.7, estimate_below_coverage: 0.5}]}")))
        .hasMessage("p.yaml: policy.performance[0].estimate_below_coverage: metric log_loss is not estimated; "
            + "expected one of accuracy|macro_f1");
  }
}
