package dev.driftline.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.metrics.ClassificationCounts;
import dev.driftline.core.metrics.ClassificationMetrics;
import dev.driftline.core.metrics.RegressionMetrics;
import dev.driftline.core.metrics.RegressionSums;
import dev.driftline.core.spec.Task;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
      assertThat(c).isEqualTo(batch); // log loss and Brier too: exact sums, bit for bit
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
      assertThat(c.logLoss()).isEqualTo(batch.logLoss());
      assertThat(c.brier()).isEqualTo(batch.brier());
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
    assertThat(w.regression()).isEqualTo(batch);
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

  @Test
  void anyOrderAndMergeTreeGiveBitIdenticalMetricsAndState() throws IOException {
    SplittableRandom r = new SplittableRandom(7);
    double[][] classified = pairs(5_000, 8);
    double[][] regressed = new double[5_000][];
    for (int i = 0; i < regressed.length; i++) {
      double actual = r.nextGaussian() * 100;
      regressed[i] = new double[] {actual + r.nextGaussian() * Math.pow(10, r.nextInt(-6, 4)), actual};
    }
    PerformanceWindow classification = inRandomParts(classified, Task.BINARY_CLASSIFICATION, r);
    PerformanceWindow regression = inRandomParts(regressed, Task.REGRESSION, r);
    for (int order = 0; order < 20; order++) {
      PerformanceWindow c = inRandomParts(classified, Task.BINARY_CLASSIFICATION, r);
      PerformanceWindow g = inRandomParts(regressed, Task.REGRESSION, r);
      assertThat(Double.doubleToRawLongBits(c.classification().logLoss()))
          .isEqualTo(Double.doubleToRawLongBits(classification.classification().logLoss()));
      assertThat(c.classification()).isEqualTo(classification.classification());
      assertThat(Double.doubleToRawLongBits(g.regression().rmse()))
          .isEqualTo(Double.doubleToRawLongBits(regression.regression().rmse()));
      assertThat(g.regression()).isEqualTo(regression.regression());
      // Past the pair limit and for regression the state itself is canonical.
      assertThat(bytes(c)).isEqualTo(bytes(classification));
      assertThat(bytes(g)).isEqualTo(bytes(regression));
    }
  }

  /** {@code pairs} shuffled, added in random partial windows, merged in a random tree. */
  static PerformanceWindow inRandomParts(double[][] pairs, Task task, SplittableRandom r) {
    double[][] shuffled = pairs.clone();
    for (int i = shuffled.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      double[] t = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = t;
    }
    List<PerformanceWindow> parts = new ArrayList<>();
    int i = 0;
    while (i < shuffled.length) {
      int len = Math.min(shuffled.length - i, 1 + r.nextInt(shuffled.length / 4));
      PerformanceWindow w = new PerformanceWindow(task, 0.5);
      for (int j = i; j < i + len; j++) {
        w.add(outcome(shuffled[j]));
      }
      parts.add(w);
      i += len;
    }
    while (parts.size() > 1) {
      PerformanceWindow a = parts.remove(r.nextInt(parts.size()));
      a.merge(parts.remove(r.nextInt(parts.size())));
      parts.add(a);
    }
    return parts.get(0);
  }

  @Test
  void refusesTheEarlierFormatAndLengthsBeyondItsBounds() throws IOException {
    byte[] current = bytes(inParts(pairs(10, 9), 1));
    current[0] = 3;
    assertThatThrownBy(() -> read(current)).isInstanceOf(IOException.class)
        .hasMessage("unknown performance window version 3");
    assertThatThrownBy(() -> read(header("CLUSTERING", 0))).isInstanceOf(IOException.class)
        .hasMessage("performance window of unknown task \"CLUSTERING\"");
    assertThatThrownBy(() -> read(header("BINARY_CLASSIFICATION", Integer.MAX_VALUE))).isInstanceOf(IOException.class)
        .hasMessage("performance window with 2147483647 pairs, at most 2000 expected");
    assertThatThrownBy(() -> read(header("BINARY_CLASSIFICATION", -1, 1 << 20))).isInstanceOf(IOException.class)
        .hasMessage("performance window with 1048576 used bins, at most 4096 expected");
    assertThatThrownBy(() -> read(header("BINARY_CLASSIFICATION", -1, 1, 5_000))).isInstanceOf(IOException.class)
        .hasMessage("performance window bin 5000, expected below 4096");
  }

  /** The bytes of an empty window of {@code task} up to its pairs, then {@code ints} (bins as shorts after two). */
  static byte[] header(String task, int... ints) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      out.writeByte(4);
      out.writeUTF(task);
      out.writeDouble(0.5);
      out.writeLong(0);
      out.writeLong(0);
      new ClassificationCounts(0.5).write(out);
      new RegressionSums().write(out);
      for (int i = 0; i < ints.length; i++) {
        if (i < 2) {
          out.writeInt(ints[i]);
        } else {
          out.writeShort(ints[i]);
        }
      }
    }
    return b.toByteArray();
  }

  static PerformanceWindow read(byte[] b) throws IOException {
    return PerformanceWindow.read(new DataInputStream(new ByteArrayInputStream(b)));
  }

  static byte[] bytes(PerformanceWindow w) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      w.write(out);
    }
    return b.toByteArray();
  }
}
