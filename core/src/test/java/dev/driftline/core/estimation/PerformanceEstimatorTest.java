package dev.driftline.core.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.stats.NumericHistogram;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerformanceEstimatorTest {
  /** Isotonic breakpoints (0, 0) and (1, 1): the identity, so p is the score itself. */
  static final ScoreCalibration IDENTITY = new ScoreCalibration("isotonic", 2, 1, new double[] {0, 1}, new double[] {0, 1}, null, null, List.of());

  /**
   * Scores 0.2, 0.6, 0.9 at threshold 0.5, by hand: TP = 0.6 + 0.9 = 1.5, FP = 0.4 + 0.1 = 0.5,
   * FN = 0.2, TN = 0.8. Var(TP) = 0.24 + 0.09 = 0.33, Var(FN) = 0.16. AUC: N1 = 1.7, N0 = 1.3,
   * U = 0.2·(½·0.8) + 0.6·(0.8 + ½·0.4) + 0.9·(1.2 + ½·0.1) = 1.805. Interval ends from
   * {@code estimate ± 1.959963984540054·sd} with the variances of the class doc (python arithmetic:
   * e.g. accuracy 2.3/3 − 1.96·sqrt(0.49)/3 = 0.309341736940654).
   */
  @Test
  void expectedConfusionMatrixOfATinyWindowByHand() {
    PerformanceEstimate e = PerformanceEstimator.estimate(NumericHistogram.Buckets.exactOf(new double[] {0.9, 0.2, 0.6}),
        IDENTITY, 0.5, "ref");
    assertThat(e.predictions()).isEqualTo(3);
    assertThat(e.exact()).isTrue();
    assertThat(e.expectedPositiveRate()).isCloseTo(1.7 / 3, within(1e-15));
    assertThat(e.accuracy().value()).isCloseTo(2.3 / 3, within(1e-15));
    assertThat(e.accuracy().lower()).isCloseTo(0.309341736940654, within(1e-12));
    assertThat(e.accuracy().upper()).isEqualTo(1.0);
    assertThat(e.precision().value()).isCloseTo(0.75, within(1e-15));
    assertThat(e.precision().lower()).isCloseTo(0.18704320529256835, within(1e-12));
    assertThat(e.recall().value()).isCloseTo(1.5 / 1.7, within(1e-15));
    assertThat(e.recall().lower()).isCloseTo(0.4680470909668995, within(1e-12));
    assertThat(e.f1().value()).isCloseTo(3 / 3.7, within(1e-15));
    assertThat(e.f1().lower()).isCloseTo(0.4102280622521606, within(1e-12));
    assertThat(e.auc().value()).isCloseTo(1.805 / 2.21, within(1e-15));
    assertThat(e.auc().lower()).isCloseTo(0.38215462340091744, within(1e-12));
    assertThat(e.auc().upper()).isEqualTo(1.0);
  }

  /** 400 predictions at 0.25 and 100 at 0.75: a tighter interval, every end by hand. */
  @Test
  void intervalsNarrowWithTheWindowsSize() {
    double[] s = new double[500];
    java.util.Arrays.fill(s, 0, 400, 0.25);
    java.util.Arrays.fill(s, 400, 500, 0.75);
    PerformanceEstimate e = PerformanceEstimator.estimate(NumericHistogram.Buckets.exactOf(s), IDENTITY, 0.5, "ref");
    // correct: 400·0.75 + 100·0.75 = 375 of 500; Var = 500·0.1875 = 93.75; sd of accuracy = sqrt(93.75)/500
    assertThat(e.accuracy().value()).isCloseTo(0.75, within(1e-15));
    assertThat(e.accuracy().upper() - e.accuracy().value())
        .isCloseTo(1.959963984540054 * Math.sqrt(93.75) / 500, within(1e-15));
    // AUC: pairs (0.75 over 0.25) weigh 75·300 of N1·N0 = 175·325; ties ½·(100²·0.75·0.25 + 400²·0.25·0.75)
    double u = 75.0 * 300 + 0.5 * (400 * 0.25 * 400 * 0.75 + 100 * 0.75 * 100 * 0.25);
    assertThat(e.auc().value()).isCloseTo(u / (175.0 * 325), within(1e-12));
  }

  /** Everything certain: every p is 0 or 1, so the counts cannot vary and there is no AUC (one class). */
  @Test
  void certainProbabilitiesGiveZeroWidthIntervals() {
    ScoreCalibration allPositive = new ScoreCalibration("isotonic", 1, 1, new double[] {0.3}, new double[] {1.0}, null, null, List.of());
    PerformanceEstimate e = PerformanceEstimator.estimate(NumericHistogram.Buckets.exactOf(new double[] {0.2, 0.7}),
        allPositive, 0.5, "ref");
    assertThat(e.accuracy()).isEqualTo(new EstimatedMetric(0.5, 0.5, 0.5));
    assertThat(e.precision()).isEqualTo(new EstimatedMetric(1.0, 1.0, 1.0));
    assertThat(e.recall()).isEqualTo(new EstimatedMetric(0.5, 0.5, 0.5));
    assertThat(e.auc()).isNull();
  }

  /** A coarsened bucket that straddles the threshold splits its count by the share of its width on each side. */
  @Test
  void coarseBucketAcrossTheThresholdIsSplitByWidth() {
    NumericHistogram h = new NumericHistogram(2);
    for (double s : new double[] {0.6, 0.61, 0.62, 0.9, 0.91}) {
      h.add(s);
    }
    NumericHistogram.Buckets b = h.buckets();
    assertThat(b.isExact()).isFalse();
    for (int i = 0; i < b.size(); i++) {
      double share = PerformanceEstimator.positiveShare(b, i, 0.605);
      double lo = b.lower(i);
      double hi = b.upper(i);
      assertThat(share).isEqualTo(lo >= 0.605 ? 1 : hi < 0.605 ? 0 : (hi - 0.605) / (hi - lo));
    }
    assertThat(PerformanceEstimator.positiveShare(b, 0, 0.5)).isEqualTo(1.0);
  }

  @Test
  void sameScoresInAnyOrderAndMergeGiveTheSameEstimate() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    double[] s = new double[20_000];
    for (int i = 0; i < s.length; i++) {
      s[i] = r.nextDouble();
    }
    NumericHistogram whole = new NumericHistogram(2_048);
    NumericHistogram left = new NumericHistogram(2_048);
    NumericHistogram right = new NumericHistogram(2_048);
    for (int i = 0; i < s.length; i++) {
      whole.add(s[i]);
      (i % 3 == 0 ? left : right).add(s[s.length - 1 - i]);
    }
    right.merge(left);
    PerformanceEstimate a = PerformanceEstimator.estimate(whole.buckets(), IDENTITY, 0.37, "ref");
    PerformanceEstimate b = PerformanceEstimator.estimate(right.buckets(), IDENTITY, 0.37, "ref");
    assertThat(a.exact()).isFalse();
    assertThat(b).isEqualTo(a);
  }
}
