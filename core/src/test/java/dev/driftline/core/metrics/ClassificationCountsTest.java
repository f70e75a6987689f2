package dev.driftline.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.MergeableSummaries;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassificationCountsTest {

  /** Scores of every scale: continuous, clipped extremes (0, 1, 1e-18) and near-certain ones (1 - 1e-12). */
  static double[][] classifications(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      int y = r.nextDouble() < 0.35 ? 1 : 0;
      double score = switch (r.nextInt(10)) {
        case 0 -> r.nextBoolean() ? 0.0 : 1.0;
        case 1 -> r.nextBoolean() ? 1e-18 : 1 - 1e-12;
        case 2 -> Math.pow(10, -r.nextInt(1, 300)); // tiny scores: Brier terms of every magnitude
        default -> 1 / (1 + Math.exp(-(r.nextGaussian() * 2 + (y == 1 ? 1 : -1))));
      };
      out[i] = new double[] {score, y};
    }
    return out;
  }

  /** Counts of {@code records} added in random parts, merged in a random tree, as subtasks' partials are. */
  static ClassificationCounts randomMergeTree(double[][] records, SplittableRandom r) {
    return MergeableSummaries.randomMergeTree(records.length, 6, r, () -> new ClassificationCounts(0.5),
        (c, j) -> c.add(records[j][0], records[j][1] == 1), ClassificationCounts::merge);
  }

  static byte[] bytes(ClassificationCounts c) throws IOException {
    return MergeableSummaries.bytes(c::write);
  }

  static long bits(double v) {
    return Double.doubleToRawLongBits(v);
  }

  @Test
  void anyOrderAndMergeTreeGiveBitIdenticalMetrics() throws IOException {
    double[][] records = classifications(20_000, 1);
    ClassificationCounts first = new ClassificationCounts(0.5);
    for (double[] x : records) {
      first.add(x[0], x[1] == 1);
    }
    ClassificationMetrics expected = first.metrics(Double.NaN);
    byte[] expectedBytes = bytes(first);
    SplittableRandom r = new SplittableRandom(2);
    Set<Long> plainLogLoss = new HashSet<>();
    Set<Long> plainBrier = new HashSet<>();
    for (int order = 0; order < 30; order++) {
      MergeableSummaries.shuffle(records, r);
      ClassificationMetrics m = randomMergeTree(records, r).metrics(Double.NaN);
      assertThat(bits(m.logLoss())).as("order %d log loss", order).isEqualTo(bits(expected.logLoss()));
      assertThat(bits(m.brier())).as("order %d Brier", order).isEqualTo(bits(expected.brier()));
      assertThat(m).isEqualTo(expected);
      assertThat(bytes(randomMergeTree(records, r))).isEqualTo(expectedBytes);
      double logLoss = 0;
      double brier = 0;
      for (double[] x : records) {
        logLoss += ClassificationMetrics.logLossTerm(x[0], x[1] == 1);
        brier += (x[0] - x[1]) * (x[0] - x[1]);
      }
      plainLogLoss.add(bits(logLoss));
      plainBrier.add(bits(brier));
    }
    // What the exact sums replace: plain sums of the same terms in those orders differ in their last bits.
    assertThat(plainLogLoss).hasSizeGreaterThan(1);
    assertThat(plainBrier).hasSizeGreaterThan(1);
  }

  @Test
  void roundTripsThroughItsBinaryForm() throws IOException {
    ClassificationCounts c = randomMergeTree(classifications(3_000, 3), new SplittableRandom(4));
    ClassificationCounts back = ClassificationCounts.read(0.5, new DataInputStream(new ByteArrayInputStream(bytes(c))));
    assertThat(back.metrics(0.75)).isEqualTo(c.metrics(0.75));
    assertThat(bytes(back)).isEqualTo(bytes(c));
  }
}
