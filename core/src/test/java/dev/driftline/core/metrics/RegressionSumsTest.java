package dev.driftline.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.core.MergeableSummaries;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RegressionSumsTest {

  /** (prediction, actual) pairs whose errors span many scales, from 1e-9 to 1e6. */
  static double[][] pairs(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      double actual = r.nextGaussian() * 1_000;
      out[i] = new double[] {actual + r.nextGaussian() * Math.pow(10, r.nextInt(-9, 7)), actual};
    }
    return out;
  }

  static RegressionSums randomMergeTree(double[][] pairs, SplittableRandom r) {
    return MergeableSummaries.randomMergeTree(pairs.length, 6, r, RegressionSums::new,
        (s, j) -> s.add(pairs[j][0], pairs[j][1]), RegressionSums::merge);
  }

  static byte[] bytes(RegressionSums s) throws IOException {
    return MergeableSummaries.bytes(s::write);
  }

  static RegressionSums read(byte[] b) throws IOException {
    return RegressionSums.read(new DataInputStream(new ByteArrayInputStream(b)));
  }

  static long bits(double v) {
    return Double.doubleToRawLongBits(v);
  }

  @Test
  void anyOrderAndMergeTreeGiveBitIdenticalMetrics() throws IOException {
    double[][] pairs = pairs(20_000, 1);
    double[] predictions = new double[pairs.length];
    double[] actuals = new double[pairs.length];
    for (int i = 0; i < pairs.length; i++) {
      predictions[i] = pairs[i][0];
      actuals[i] = pairs[i][1];
    }
    RegressionMetrics expected = RegressionMetrics.of(predictions, actuals);
    SplittableRandom r = new SplittableRandom(2);
    byte[] expectedBytes = bytes(randomMergeTree(pairs, r));
    Set<Long> plainSquares = new HashSet<>();
    for (int order = 0; order < 30; order++) {
      MergeableSummaries.shuffle(pairs, r);
      RegressionSums s = randomMergeTree(pairs, r);
      RegressionMetrics m = s.metrics();
      assertThat(bits(m.mae())).as("order %d MAE", order).isEqualTo(bits(expected.mae()));
      assertThat(bits(m.rmse())).as("order %d RMSE", order).isEqualTo(bits(expected.rmse()));
      assertThat(m.n()).isEqualTo(20_000);
      assertThat(bytes(s)).isEqualTo(expectedBytes);
      double squares = 0;
      for (double[] p : pairs) {
        squares += (p[0] - p[1]) * (p[0] - p[1]);
      }
      plainSquares.add(bits(squares));
    }
    assertThat(plainSquares).as("plain sums of the same squared errors").hasSizeGreaterThan(1);
  }

  @Test
  void errorsTooLargeForADoubleMakeTheMetricInfinite() throws IOException {
    RegressionSums s = new RegressionSums();
    s.add(1, 0);
    s.add(2e154, 0); // its square overflows, its absolute error does not
    assertThat(s.metrics()).isEqualTo(new RegressionMetrics(2, (1 + 2e154) / 2, Double.POSITIVE_INFINITY));
    RegressionSums both = new RegressionSums();
    both.add(Double.MAX_VALUE, -Double.MAX_VALUE);
    both.merge(s);
    assertThat(both.metrics()).isEqualTo(new RegressionMetrics(3, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
    assertThat(read(bytes(both)).metrics()).isEqualTo(both.metrics());
    assertThat(read(bytes(s)).metrics()).isEqualTo(s.metrics());
  }

  @Test
  void roundTripsThroughItsBinaryFormAndRefusesBadCounts() throws IOException {
    RegressionSums s = randomMergeTree(pairs(3_000, 3), new SplittableRandom(4));
    RegressionSums back = read(bytes(s));
    assertThat(back.metrics()).isEqualTo(s.metrics());
    assertThat(bytes(back)).isEqualTo(bytes(s));
    byte[] negative = bytes(s);
    negative[0] = (byte) 0x80;
    assertThatThrownBy(() -> read(negative)).isInstanceOf(IOException.class)
        .hasMessageStartingWith("regression sums of -9223372036854772808 pairs");
    byte[] flags = bytes(s);
    flags[8] = 1; // an absolute error overflowed but its square did not: impossible
    assertThatThrownBy(() -> read(flags)).isInstanceOf(IOException.class)
        .hasMessage("regression sums of 3000 pairs with overflow flags 1");
  }
}
