package dev.driftline.core.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.metrics.MulticlassMetrics;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MulticlassEstimatorTest {
  /** Isotonic through (0, 0) and (1, 1): the identity. */
  static final ScoreCalibration IDENTITY = new ScoreCalibration("isotonic", 0, 0, new double[] {0, 1}, new double[] {0, 1}, null,
      null, List.of());
  static final List<ScoreCalibration> IDENTITY3 = List.of(IDENTITY, IDENTITY, IDENTITY);

  static double[] row(Random random, int k, double sharpness) {
    double[] p = new double[k];
    double sum = 0;
    for (int c = 0; c < k; c++) {
      p[c] = Math.pow(random.nextDouble(), sharpness);
      sum += p[c];
    }
    for (int c = 0; c < k; c++) {
      p[c] /= sum;
    }
    return p;
  }

  static int draw(Random random, double[] q) {
    double u = random.nextDouble();
    for (int c = 0; c < q.length - 1; c++) {
      u -= q[c];
      if (u < 0) {
        return c;
      }
    }
    return q.length - 1;
  }

  /** Every one of the 3⁴ label assignments of four predictions, weighted by its probability. */
  @Test
  void accuracyAndItsVarianceAreTheExactExpectationOverEveryLabelling() {
    double[][] p = {{0.5, 0.3, 0.2}, {0.1, 0.6, 0.3}, {0.25, 0.25, 0.5}, {0.7, 0.2, 0.1}};
    double mean = 0;
    double square = 0;
    double f1 = 0;
    for (int code = 0; code < 81; code++) {
      int[] labels = {code % 3, code / 3 % 3, code / 9 % 3, code / 27};
      double weight = 1;
      for (int i = 0; i < 4; i++) {
        weight *= p[i][labels[i]];
      }
      MulticlassMetrics m = MulticlassMetrics.of(p, labels, 3);
      mean += weight * m.accuracy();
      square += weight * m.accuracy() * m.accuracy();
      f1 += weight * m.macroF1();
    }
    MulticlassEstimator.Estimate e = MulticlassEstimator.estimate(p, IDENTITY3);

    // E[accuracy] = (0.5 + 0.6 + 0.5 + 0.7) / 4 = 0.575
    assertThat(e.accuracy().value()).isCloseTo(mean, within(1e-15)).isCloseTo(0.575, within(1e-15));
    double sd = Math.sqrt(square - mean * mean);
    // (the upper end is clipped at 1)
    assertThat(e.accuracy().value() - e.accuracy().lower()).isCloseTo(PerformanceEstimator.Z_95 * sd, within(1e-12));
    // Expected counts: predicted 0 by rows 0 and 3, 1 by row 1, 2 by row 2.
    assertThat(e.expectedConfusion()[0]).containsExactly(new double[] {1.2, 0.1, 0.25}, within(1e-15));
    assertThat(e.expectedConfusion()[2]).containsExactly(new double[] {0.3, 0.3, 0.5}, within(1e-15));
    // F1 of the expected counts: class 0 2·1.2/(2 + 1.2 + 0.35), class 1 2·0.6/(1 + 0.6 + 0.75), class 2 2·0.5/(1 + 0.5 + 0.6)
    double macro = (2.4 / 3.55 + 1.2 / 2.35 + 1.0 / 2.1) / 3;
    assertThat(e.macroF1().value()).isCloseTo(macro, within(1e-15));
    // A ratio of expectations, not the expected ratio: close to it, not equal, on four predictions.
    assertThat(e.macroF1().value()).isCloseTo(f1, within(0.15));
  }

  /** Windows whose labels are drawn from their calibrated probabilities: the 95 % intervals hold about 95 % of the time. */
  @Test
  void intervalsCoverTheRealizedMetricsOfWellCalibratedWindows() {
    Random random = new Random(3);
    double[][] p = new double[400][];
    for (int i = 0; i < p.length; i++) {
      p[i] = row(random, 3, 2.0);
    }
    MulticlassEstimator.Estimate e = MulticlassEstimator.estimate(p, IDENTITY3);
    int accuracyCovered = 0;
    int f1Covered = 0;
    int runs = 1_000;
    for (int r = 0; r < runs; r++) {
      int[] labels = new int[p.length];
      for (int i = 0; i < p.length; i++) {
        labels[i] = draw(random, p[i]);
      }
      MulticlassMetrics m = MulticlassMetrics.of(p, labels, 3);
      accuracyCovered += e.accuracy().covers(m.accuracy()) ? 1 : 0;
      f1Covered += e.macroF1().covers(m.macroF1()) ? 1 : 0;
    }
    assertThat((double) accuracyCovered / runs).isBetween(0.93, 0.97);
    assertThat((double) f1Covered / runs).isBetween(0.93, 0.97);
  }

  /**
   * A model whose probabilities are too sure of themselves (the truth is the square root of them,
   * renormalized): one-vs-rest calibration on a labelled reference brings the estimate to the
   * realized accuracy, which the raw probabilities overstate.
   */
  @Test
  void oneVsRestCalibrationCorrectsOverconfidentProbabilities() {
    Random random = new Random(17);
    int k = 4;
    double[][] reference = new double[20_000][];
    int[] referenceLabels = overconfident(random, k, reference);
    List<ScoreCalibration> calibrations =
        MulticlassEstimator.fit(CalibrationMethod.ISOTONIC, reference, referenceLabels, k);
    double[][] window = new double[5_000][];
    int[] labels = overconfident(random, k, window);
    MulticlassMetrics realized = MulticlassMetrics.of(window, labels, k);
    MulticlassEstimator.Estimate calibrated = MulticlassEstimator.estimate(window, calibrations);
    MulticlassEstimator.Estimate raw = MulticlassEstimator.estimate(window, List.of(IDENTITY, IDENTITY, IDENTITY, IDENTITY));

    assertThat(calibrated.accuracy().covers(realized.accuracy())).as("%s vs %s", calibrated.accuracy(), realized.accuracy())
        .isTrue();
    assertThat(calibrated.macroF1().covers(realized.macroF1())).as("%s vs %s", calibrated.macroF1(), realized.macroF1())
        .isTrue();
    assertThat(raw.accuracy().value() - realized.accuracy()).isGreaterThan(0.05);
    assertThat(Math.abs(calibrated.accuracy().value() - realized.accuracy())).isLessThan(0.02);
  }

  @Test
  void aClassWithoutReferenceLabelsCannotBeCalibrated() {
    assertThatThrownBy(() -> MulticlassEstimator.fit(CalibrationMethod.ISOTONIC,
        new double[][] {{0.5, 0.3, 0.2}, {0.2, 0.7, 0.1}}, new int[] {0, 1}, 3))
        .hasMessage("class 2 has no label in the reference; expected every class labelled");
  }

  /** Fills {@code rows} with overconfident probabilities; returns the labels drawn from the truth behind them. */
  static int[] overconfident(Random random, int k, double[][] rows) {
    int[] labels = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      double[] truth = row(random, k, 1.5);
      rows[i] = sharpened(truth);
      labels[i] = draw(random, truth);
    }
    return labels;
  }

  /** Squared and renormalized: more confident than the truth. */
  static double[] sharpened(double[] truth) {
    double[] p = new double[truth.length];
    double sum = 0;
    for (int c = 0; c < p.length; c++) {
      p[c] = truth[c] * truth[c];
      sum += p[c];
    }
    for (int c = 0; c < p.length; c++) {
      p[c] /= sum;
    }
    return p;
  }
}
