package dev.driftline.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.metrics.ClassificationMetrics;
import dev.driftline.core.metrics.MulticlassMetrics;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.window.Outcome;
import dev.driftline.core.window.PerformanceWindow;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerformanceMetricTest {
  /** The window of ClassificationMetricsTest's balanced-accuracy case: tp 2, fn 1, fp 1, tn 4. */
  static final ClassificationMetrics BINARY = ClassificationMetrics.of(new double[] {0.9, 0.8, 0.2, 0.7, 0.1, 0.1, 0.1, 0.1},
      new int[] {1, 1, 1, 0, 0, 0, 0, 0}, 0.5);

  @Test
  void balancedAccuracyIsRegisteredForBinaryClassifiersOnlyAndNotEstimated() {
    PerformanceMetric m = PerformanceMetric.byId("balanced_accuracy");
    assertThat(m).isSameAs(PerformanceMetric.BALANCED_ACCURACY);
    assertThat(m.appliesTo(Task.BINARY_CLASSIFICATION)).isTrue();
    assertThat(m.appliesTo(Task.MULTICLASS_CLASSIFICATION)).isFalse();
    assertThat(m.appliesTo(Task.REGRESSION)).isFalse();
    assertThat(m.higherIsBetter()).isTrue();
    assertThat(m.unitInterval()).isTrue();
    assertThat(m.isEstimated()).isFalse();
    assertThat(m.compute(BINARY, null, null)).isCloseTo(11.0 / 15, within(1e-15));
    MulticlassMetrics multiclass = MulticlassMetrics.of(new double[][] {{0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}}, new int[] {0, 2}, 3);
    assertThat(m.compute(null, null, multiclass)).isNull();
  }

  @Test
  void aBinaryWindowsDocumentCarriesBalancedAccuracyInTheRegistrysOrder() {
    double[] scores = {0.9, 0.8, 0.2, 0.7, 0.1, 0.1, 0.1, 0.1};
    int[] labels = {1, 1, 1, 0, 0, 0, 0, 0};
    PerformanceWindow w = new PerformanceWindow(Task.BINARY_CLASSIFICATION, 0.5);
    for (int i = 0; i < scores.length; i++) {
      w.add(new Outcome("m", "__all__", "p" + i, 0, scores[i], labels[i], true));
    }
    PerformanceResult r = PerformanceResult.of("m", "__all__", 0, 60_000, w, w.classification(), null, null, List.of(), 60_000);
    assertThat(r.metricFields().get("balanced_accuracy")).isCloseTo(11.0 / 15, within(1e-15));
    assertThat(List.copyOf(r.metricFields().keySet()).subList(0, 3)).containsExactly("accuracy", "balanced_accuracy", "precision");
  }
}
