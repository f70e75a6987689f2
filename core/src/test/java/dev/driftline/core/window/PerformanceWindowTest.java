package dev.driftline.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.metrics.ClassificationMetrics;
import dev.driftline.core.metrics.RegressionMetrics;
import dev.driftline.core.spec.Task;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PerformanceWindowTest {

  /** n labelled classifications whose scores rise with the label (AUC about 0.8), rounded to 3 decimals so ties occur. */
  static double[][] pairs(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      int y = r.nextDouble() < 0.3 ? 1 : 0;
      double z = r.nextGaussian() + (y == 1 ? 1.2 : 0);
      out[i] = new double[] {Math.round(1000 / (1 + Math.exp(-z))) / 1000.0, y};
    }
    return out;
  }

  static Outcome outcome(double[] p) {
    return new Outcome("m", "__all__", "p", 0, p[0], p[1], true);
  }

  static ClassificationMetrics batch(double[][] pairs) {
    double[] s = new double[pairs.length];
    int[] y = new int[pairs.length];
    for (int i = 0; i < pairs.length; i++) {
      s[i] = pairs[i][0];
      y[i] = (int) pairs[i][1];
    }
    return ClassificationMetrics.of(s, y, 0.5);
  }

  /** Adds the pairs in {@code parts} interleaved partial windows and merges them, as bundles from several subtasks are. */
  static PerformanceWindow inParts(double[][] pairs, int parts) {
    PerformanceWindow[] w = new PerformanceWindow[parts];
    for (int k = 0; k < parts; k++) {
      w[k] = new PerformanceWindow(Task.BINARY_CLASSIFICATION, 0.5);
    }
    for (int i = 0; i < pairs.length; i++) {
      w[i % parts].add(outcome(pairs[i]));
    }
    for (int k = 1; k < parts; k++) {
      w[0].merge(w[k]);
    }
    return w[0];
  }

  @Test
  void belowThePairLimitEveryMetricEqualsTheBatchRecomputation() {
    double[][] pairs = pairs(1_500, 1);
    ClassificationMetrics batch = batch(pairs);
    for (int parts : new int[] {1, 3, 7}) {
      PerformanceWindow w = inParts(pairs, parts);
      ClassificationMetrics c = w.classification();
      assertThat(w.exact()).isTrue();
      assertThat(w.aucErrorBound()).isZero();
      assertThat(c.rocAuc()).isEqualTo(batch.rocAuc());
      assertThat(c.accuracy()).isEqualTo(batch.accuracy());
      assertThat(c.f1()).isEqualTo(batch.f1());
      assertThat(c.tp()).isEqualTo(batch.tp());
      assertThat(c.fn()).isEqualTo(batch.fn());
      assertThat(c.logLoss()).isCloseTo(batch.logLoss(), within(1e-12));
      assertThat(c.brier()).isCloseTo(batch.brier(), within(1e-12));
    }
  }

  @Test
  void pastThePairLimitTheAucStaysWithinItsStatedBoundAndCountsStayExact() {
    double[][] pairs = pairs(50_000, 2);
    ClassificationMetrics batch = batch(pairs);
    PerformanceWindow single = inParts(pairs, 1);
    PerformanceWindow merged = inParts(pairs, 5);
    for (PerformanceWindow w : new PerformanceWindow[] {single, merged}) {
      ClassificationMetrics c = w.classification();
      assertThat(w.exact()).isFalse();
      assertThat(w.labelled()).isEqualTo(50_000);
      assertThat(c.accuracy()).isEqualTo(batch.accuracy());
      assertThat(c.precision()).isEqualTo(batch.precision());
      assertThat(c.recall()).isEqualTo(batch.recall());
      assertThat(c.logLoss()).isCloseTo(batch.logLoss(), within(1e-12));
      assertThat(Math.abs(c.rocAuc() - batch.rocAuc())).isLessThanOrEqualTo(w.aucErrorBound());
    }
    // Scores with 3 decimals: 1,000 distinct values over 4,096 bins, so no bin mixes two scores.
    assertThat(single.classification().rocAuc()).isCloseTo(batch.rocAuc(), within(1e-12));
    assertThat(merged.classification().rocAuc()).isEqualTo(single.classification().rocAuc());
  }

  @Test
  void theBoundIsSmallForContinuousScores() {
    SplittableRandom r = new SplittableRandom(3);
    double[][] pairs = new double[20_000][];
    for (int i = 0; i < pairs.length; i++) {
      int y = r.nextDouble() < 0.4 ? 1 : 0;
      pairs[i] = new double[] {1 / (1 + Math.exp(-(r.nextGaussian() + y))), y};
    }
    PerformanceWindow w = inParts(pairs, 2);
    double exact = batch(pairs).rocAuc();
    assertThat(w.aucErrorBound()).isLessThan(2e-4);
    assertThat(Math.abs(w.classification().rocAuc() - exact)).isLessThanOrEqualTo(w.aucErrorBound());
  }

  @Test
  void stateStaysBoundedAsTheWindowGrows() throws IOException {
    int small = bytes(inParts(pairs(20_000, 4), 1)).length;
    int large = bytes(inParts(pairs(200_000, 4), 1)).length;
    assertThat(large).isLessThan(2 * small);
    assertThat(large).isLessThan(20_000);
  }

  @Test
  void regressionErrorsComeFromSums() {
    SplittableRandom r = new SplittableRandom(5);
    PerformanceWindow w = new PerformanceWindow(Task.REGRESSION, Double.NaN);
    double[] predicted = new double[5_000];
    double[] actual = new double[5_000];
    for (int i = 0; i < predicted.length; i++) {
      predicted[i] = r.nextGaussian() * 10;
      actual[i] = predicted[i] + r.nextGaussian();
      w.add(new Outcome("m", "__all__", "p", 0, predicted[i], actual[i], true));
    }
    RegressionMetrics batch = RegressionMetrics.of(predicted, actual);
    assertThat(w.regression().mae()).isCloseTo(batch.mae(), within(1e-12));
    assertThat(w.regression().rmse()).isCloseTo(batch.rmse(), within(1e-12));
    assertThat(w.classification()).isNull();
    assertThat(w.exact()).isTrue();
  }

  @Test
  void predictionsAndLateLabelsCountOnce() {
    PerformanceWindow w = new PerformanceWindow(Task.BINARY_CLASSIFICATION, 0.5);
    w.add(new Outcome("m", "__all__", "a", 0, 0.9, Double.NaN, true)); // prediction, label not yet known
    w.add(new Outcome("m", "__all__", "b", 0, 0.2, 0, true));          // label came first
    w.add(new Outcome("m", "__all__", "a", 0, 0.9, 1, false));         // a's late label
    assertThat(w.predictions()).isEqualTo(2);
    assertThat(w.labelled()).isEqualTo(2);
    assertThat(w.coverage()).isEqualTo(1.0);
    assertThat(w.classification().rocAuc()).isEqualTo(1.0);
  }

  @Test
  void roundTripsThroughItsBinaryFormInBothRegimes() throws IOException {
    for (int n : new int[] {100, 10_000}) {
      PerformanceWindow w = inParts(pairs(n, 6), 2);
      PerformanceWindow back = PerformanceWindow.read(new DataInputStream(new ByteArrayInputStream(bytes(w))));
      assertThat(back.classification()).isEqualTo(w.classification());
      assertThat(back.aucErrorBound()).isEqualTo(w.aucErrorBound());
      assertThat(back.exact()).isEqualTo(w.exact());
      assertThat(bytes(back)).isEqualTo(bytes(w));
    }
  }

  static byte[] bytes(PerformanceWindow w) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      w.write(out);
    }
    return b.toByteArray();
  }
}
