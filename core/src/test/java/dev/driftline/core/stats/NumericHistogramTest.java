package dev.driftline.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NumericHistogramTest {
  static double[] normal(long seed, int n, double mean, double sd) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = mean + sd * r.nextGaussian();
    }
    return v;
  }

  static byte[] bytes(NumericHistogram h) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      h.write(out);
    }
    return b.toByteArray();
  }

  static void shuffle(double[] v, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = v.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      double t = v[i];
      v[i] = v[j];
      v[j] = t;
    }
  }

  /** Splits {@code values} into random parts and merges them in a random tree. */
  static NumericHistogram randomMergeTree(double[] values, int maxBuckets, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<NumericHistogram> parts = new ArrayList<>();
    int i = 0;
    while (i < values.length) {
      int len = Math.min(values.length - i, 1 + r.nextInt(values.length / 5 + 1));
      NumericHistogram h = new NumericHistogram(maxBuckets);
      for (int j = i; j < i + len; j++) {
        h.add(values[j]);
      }
      parts.add(h);
      i += len;
    }
    while (parts.size() > 1) {
      NumericHistogram a = parts.remove(r.nextInt(parts.size()));
      NumericHistogram b = parts.remove(r.nextInt(parts.size()));
      a.merge(b);
      parts.add(a);
    }
    return parts.get(0);
  }

  @Test
  void contentDependsOnlyOnTheMultisetNotOnOrderOrMergeTree() throws IOException {
    double[] values = normal(1, 60_000, 50, 10);
    NumericHistogram inOrder = new NumericHistogram(2_048);
    for (double v : values) {
      inOrder.add(v);
    }
    byte[] expected = bytes(inOrder);
    for (long seed = 2; seed < 8; seed++) {
      double[] shuffled = values.clone();
      shuffle(shuffled, seed);
      assertThat(bytes(randomMergeTree(shuffled, 2_048, seed))).isEqualTo(expected);
    }
    assertThat(inOrder.shift()).isGreaterThan(0);
    assertThat(inOrder.buckets().size()).isLessThanOrEqualTo(2_048);
  }

  @Test
  void integerValuesStayExactAtAnyCount() {
    NumericHistogram h = new NumericHistogram(2_048);
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 500_000; i++) {
      h.add(18 + r.nextInt(73));
    }
    NumericHistogram.Buckets b = h.buckets();
    assertThat(b.isExact()).isTrue();
    assertThat(b.size()).isEqualTo(73);
    assertThat(b.n()).isEqualTo(500_000);
    assertThat(b.representative(0)).isEqualTo(18.0);
    assertThat(b.representative(72)).isEqualTo(90.0);
  }

  @Test
  void coarsenedBucketsAreTheSmallestShiftThatFitsAndHoldTheirValues() {
    double[] values = normal(4, 20_000, 0, 1);
    NumericHistogram h = new NumericHistogram(1_000);
    for (double v : values) {
      h.add(v);
    }
    NumericHistogram.Buckets b = h.buckets();
    // one bit finer would not fit
    assertThat(NumericHistogram.Buckets.exactOf(values).atShift(b.shift() - 1).size()).isGreaterThan(1_000);
    assertThat(NumericHistogram.Buckets.exactOf(values).atShift(b.shift()).keys()).isEqualTo(b.keys());
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int k = 0;
    for (int i = 0; i < b.size(); i++) {
      for (long c = 0; c < b.counts()[i]; c++) {
        assertThat(sorted[k]).isBetween(b.lower(i), b.upper(i));
        k++;
      }
      // relative width about 2^(shift - 52)
      double mid = Math.abs(b.representative(i));
      if (mid > 1e-300) {
        assertThat((b.upper(i) - b.lower(i)) / mid).isLessThanOrEqualTo(Math.scalb(1.0, b.shift() - 52) * 2.01);
      }
    }
    assertThat(k).isEqualTo(values.length);
  }

  @Test
  void valuesOfBothSignsAndExtremeMagnitudesCoarsenToTheSmallestShiftThatFitsWhateverTheMergeTree() {
    java.util.Random random = new java.util.Random(11);
    double[] values = new double[30_000];
    for (int i = 0; i < values.length; i++) {
      double v = random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
      values[i] = i % 97 == 0 ? -Double.MAX_VALUE : i % 89 == 0 ? Double.MIN_VALUE : v;
    }
    for (int maxBuckets : new int[] {2, 3, 64, 1_000, 4_096}) {
      NumericHistogram whole = new NumericHistogram(maxBuckets);
      NumericHistogram left = new NumericHistogram(maxBuckets);
      NumericHistogram right = new NumericHistogram(maxBuckets);
      for (int i = 0; i < values.length; i++) {
        whole.add(values[i]);
        (i < 500 ? left : right).add(values[i]);
      }
      left.merge(right);
      NumericHistogram.Buckets b = whole.buckets();
      NumericHistogram.Buckets exact = NumericHistogram.Buckets.exactOf(values);
      assertThat(exact.atShift(b.shift()).keys()).isEqualTo(b.keys());
      assertThat(exact.atShift(b.shift()).counts()).isEqualTo(b.counts());
      if (b.shift() > 0) {
        assertThat(exact.atShift(b.shift() - 1).size()).isGreaterThan(maxBuckets);
      }
      assertThat(left.buckets().keys()).isEqualTo(b.keys());
      assertThat(left.buckets().counts()).isEqualTo(b.counts());
    }
  }

  @Test
  void binaryFormRoundTripsAndStopsGrowingWithTheValueCount() throws IOException {
    NumericHistogram small = new NumericHistogram(2_048);
    for (double v : normal(5, 20_000, 50, 10)) {
      small.add(v);
    }
    NumericHistogram large = new NumericHistogram(2_048);
    for (double v : normal(6, 1_000_000, 50, 10)) {
      large.add(v);
    }
    byte[] b = bytes(large);
    NumericHistogram back = NumericHistogram.read(new DataInputStream(new ByteArrayInputStream(b)));
    assertThat(bytes(back)).isEqualTo(b);
    assertThat(back.buckets().counts()).isEqualTo(large.buckets().counts());
    assertThat(b.length).isLessThan(2 * bytes(small).length).isLessThan(8_000);
  }

  @Test
  void negativeZeroAndTheSignAreOrderedLikeTheValues() {
    NumericHistogram h = new NumericHistogram(16);
    for (double v : new double[] {3, -0.0, 0.0, -2.5, 1e-300, -1e-300}) {
      h.add(v);
    }
    NumericHistogram.Buckets b = h.buckets();
    double[] reps = new double[b.size()];
    for (int i = 0; i < b.size(); i++) {
      reps[i] = b.representative(i);
    }
    assertThat(reps).containsExactly(-2.5, -1e-300, 0.0, 1e-300, 3.0);
    assertThat(b.counts()).containsExactly(1, 1, 2, 1, 1);
  }

  @Test
  void ksOnCoarsenedBucketsBracketsTheExactStatisticAndItsPValueIsConservative() {
    for (long seed = 10; seed < 20; seed++) {
      double[] ref = normal(seed, 8_000, 0, 1);
      double[] cur = normal(seed + 100, 30_000, 0.03, 1);
      NumericHistogram window = new NumericHistogram(2_048);
      for (double v : cur) {
        window.add(v);
      }
      KsResult exact = KolmogorovSmirnov.twoSample(ref, cur, KsMethod.ASYMPTOTIC);
      SketchKsResult coarse = KolmogorovSmirnov.ofBuckets(NumericHistogram.Buckets.exactOf(ref), window.buckets(), 0);
      assertThat(coarse.method()).isEqualTo(KsMethod.HISTOGRAM);
      assertThat(coarse.statistic()).isLessThanOrEqualTo(exact.statistic() + 1e-12);
      assertThat(exact.statistic()).isLessThanOrEqualTo(coarse.statistic() + coarse.statisticErrorBound() + 1e-12);
      assertThat(coarse.statisticErrorBound()).isLessThan(0.005);
      assertThat(coarse.conservativePValue()).isGreaterThanOrEqualTo(exact.pValue() - 1e-12);
    }
  }

  @Test
  void exactBucketsGiveScipysKsAndWasserstein() {
    double[] ref = normal(30, 700, 0, 1);
    double[] cur = normal(31, 450, 0.2, 1.1);
    KsResult direct = KolmogorovSmirnov.twoSample(ref, cur);
    KsResult viaBuckets = KolmogorovSmirnov.twoSample(
        NumericHistogram.Buckets.exactOf(ref), NumericHistogram.Buckets.exactOf(cur));
    assertThat(viaBuckets).isEqualTo(direct);
    assertThat(Wasserstein.distance(NumericHistogram.Buckets.exactOf(ref), NumericHistogram.Buckets.exactOf(cur)))
        .isEqualTo(Wasserstein.distance(ref, cur));
  }

  @Test
  void wassersteinOnCoarsenedBucketsIsWithinHalfABucket() {
    double[] ref = normal(40, 50_000, 50, 10);
    double[] cur = normal(41, 50_000, 51, 10);
    NumericHistogram r = new NumericHistogram(2_048);
    NumericHistogram c = new NumericHistogram(2_048);
    Arrays.stream(ref).forEach(r::add);
    Arrays.stream(cur).forEach(c::add);
    int shift = Math.max(r.shift(), c.shift());
    double w = Wasserstein.distance(r.buckets().atShift(shift), c.buckets().atShift(shift));
    assertThat(w).isCloseTo(Wasserstein.distance(ref, cur), within(0.05));
  }

  @Test
  void bytesThatAreNotAHistogramAreAnIoErrorNotAHugeAllocation() throws IOException {
    NumericHistogram h = new NumericHistogram(64);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 5_000; i++) {
      h.add(random.nextGaussian() * 1e6);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    h.write(new DataOutputStream(bytes));
    byte[] valid = bytes.toByteArray();
    int refused = 0;
    for (int trial = 0; trial < 3_000; trial++) {
      byte[] b = trial % 3 == 0 ? Arrays.copyOf(valid, random.nextInt(valid.length)) : valid.clone();
      if (trial % 3 != 0) {
        for (int k = 0; k < 1 + random.nextInt(4); k++) {
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
      }
      try {
        NumericHistogram read = NumericHistogram.read(new DataInputStream(new ByteArrayInputStream(b)));
        assertThat(read.n()).as("a mutation that still reads keeps its counts consistent").isPositive();
      } catch (IOException e) {
        refused++;
      }
    }
    assertThat(refused).as("truncations and most mutations are refused").isGreaterThan(1_000);
    // A declared bucket count the bytes do not back ends at their end.
    byte[] huge = {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0x3F, (byte) 0xF0, 0, 0, 0, 0, 0, 0, (byte) 0xFE, (byte) 0xFF,
        (byte) 0xFF, (byte) 0xFF, 0x07};
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> NumericHistogram.read(new DataInputStream(new ByteArrayInputStream(huge)))).isInstanceOf(IOException.class);
  }
}
