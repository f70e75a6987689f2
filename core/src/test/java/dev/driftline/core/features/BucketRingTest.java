package dev.driftline.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BucketRingTest {
  static final long MIN = 60_000;

  @Test
  void windowIsTheCurrentBucketAndTheOnesBefore() {
    // 10-minute window of 1-minute buckets: as of 12:34:30 it covers [12:25:00, 12:34:30].
    BucketRing ring = new BucketRing(Aggregation.COUNT, MIN, 10);
    long t0 = 12 * 60 * MIN;
    ring.add(t0 + 24 * MIN + 59_999, 0, null); // 12:24:59.999, just outside
    ring.add(t0 + 25 * MIN, 0, null); // 12:25:00, first included
    ring.add(t0 + 30 * MIN, 0, null);
    ring.add(t0 + 34 * MIN + 30_000, 0, null);
    assertThat(ring.valueAt(t0 + 34 * MIN + 30_000)).isEqualTo(3);
    assertThat(ring.valueAt(t0 + 34 * MIN + 59_999)).isEqualTo(3);
    assertThat(ring.valueAt(t0 + 35 * MIN)).as("12:25 bucket expired").isEqualTo(2);
    assertThat(ring.valueAt(t0 + 39 * MIN + 59_999)).isEqualTo(2);
    assertThat(ring.valueAt(t0 + 40 * MIN)).as("12:30 bucket expired").isEqualTo(1);
    assertThat(ring.valueAt(t0 + 44 * MIN + 59_999)).isZero();
  }

  @Test
  void slotsOfExpiredBucketsAreReusedSoMemoryIsFixed() {
    BucketRing ring = new BucketRing(Aggregation.SUM, MIN, 10);
    for (int i = 0; i < 1000; i++) {
      ring.add(i * 30_000L, 1.0, null);
    }
    assertThat(ring.occupied()).isEqualTo(10);
    assertThat(ring.valueAt(999 * 30_000L)).isEqualTo(20.0); // 10 buckets × 2 events
  }

  @Test
  void knownValuesOfEachAggregation() {
    double[] values = {4, 8, 15, 16, 23, 42};
    String[] texts = {"a", "b", "a", "c", "b", "a"};
    List<BucketRing> rings = new ArrayList<>();
    for (Aggregation a : List.of(Aggregation.COUNT, Aggregation.SUM, Aggregation.MEAN, Aggregation.MIN,
        Aggregation.MAX, Aggregation.STDDEV, Aggregation.DISTINCT_COUNT)) {
      BucketRing r = new BucketRing(a, MIN, 60);
      for (int i = 0; i < values.length; i++) {
        r.add(i * 7 * MIN, values[i], texts[i]);
      }
      rings.add(r);
    }
    long t = 35 * MIN;
    assertThat(rings.get(0).valueAt(t)).isEqualTo(6);
    assertThat(rings.get(1).valueAt(t)).isEqualTo(108);
    assertThat(rings.get(2).valueAt(t)).isEqualTo(18);
    assertThat(rings.get(3).valueAt(t)).isEqualTo(4);
    assertThat(rings.get(4).valueAt(t)).isEqualTo(42);
    // numpy.std([4, 8, 15, 16, 23, 42]) = 12.315302134607444
    assertThat(rings.get(5).valueAt(t)).isCloseTo(12.315302134607444, within(1e-12));
    assertThat(rings.get(6).valueAt(t)).isEqualTo(3);
  }

  @Test
  void emptyWindowIsZeroForCountsAndMissingForStatistics() {
    for (Aggregation a : List.of(Aggregation.MEAN, Aggregation.MIN, Aggregation.MAX, Aggregation.STDDEV)) {
      BucketRing r = new BucketRing(a, MIN, 5);
      r.add(0, 1, "x");
      assertThat(r.valueAt(10 * MIN)).as(a.id()).isNaN();
    }
    BucketRing count = new BucketRing(Aggregation.DISTINCT_COUNT, MIN, 5);
    count.add(0, 0, "x");
    assertThat(count.valueAt(10 * MIN)).isZero();
  }

  @Test
  void refusesEventsOutOfTimeOrder() {
    BucketRing r = new BucketRing(Aggregation.COUNT, MIN, 5);
    r.add(10 * MIN, 0, null);
    assertThatThrownBy(() -> r.add(9 * MIN, 0, null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalsBruteForceOverRandomEventsAndSurvivesSerialization() throws Exception {
    Random random = new Random(7);
    for (Aggregation a : List.of(Aggregation.COUNT, Aggregation.SUM, Aggregation.MEAN, Aggregation.MIN,
        Aggregation.MAX, Aggregation.STDDEV, Aggregation.DISTINCT_COUNT)) {
      FeatureDef def = new FeatureDef("f", a, "x", Duration.ofHours(1), Duration.ofMinutes(5), null, null);
      BucketRing ring = BucketRing.of(def);
      List<long[]> times = new ArrayList<>();
      List<Double> xs = new ArrayList<>();
      List<String> ts = new ArrayList<>();
      long t = 1_772_409_600_000L;
      for (int i = 0; i < 2000; i++) {
        t += (long) (random.nextDouble() * random.nextDouble() * 20 * MIN);
        double x = Math.round(random.nextGaussian() * 1000) / 100.0;
        String s = "m" + random.nextInt(40);
        ring.add(t, x, s);
        times.add(new long[] {t});
        xs.add(x);
        ts.add(s);
        if (i % 97 == 0) {
          ring = roundTrip(def, ring);
        }
        long lo = Math.floorDiv(t, 5 * MIN) * 5 * MIN - 60 * MIN + 5 * MIN;
        List<Double> in = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        for (int j = 0; j < times.size(); j++) {
          if (times.get(j)[0] >= lo && times.get(j)[0] <= t) {
            in.add(xs.get(j));
            distinct.add(ts.get(j));
          }
        }
        double expected = brute(a, in, distinct);
        double actual = ring.valueAt(t);
        if (Double.isNaN(expected)) {
          assertThat(actual).isNaN();
        } else {
          assertThat(actual).as(a.id() + " at event " + i).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
        }
      }
    }
  }

  static double brute(Aggregation a, List<Double> xs, Set<String> distinct) {
    double sum = 0;
    for (double x : xs) {
      sum += x;
    }
    double mean = sum / xs.size();
    double sq = 0;
    for (double x : xs) {
      sq += (x - mean) * (x - mean);
    }
    return switch (a) {
      case COUNT -> xs.size();
      case SUM -> sum;
      case MEAN -> xs.isEmpty() ? Double.NaN : mean;
      case MIN -> xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
      case MAX -> xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
      case STDDEV -> xs.isEmpty() ? Double.NaN : Math.sqrt(sq / xs.size());
      case DISTINCT_COUNT -> distinct.size(); // below ~200 distinct values HLL (lg k 12) is exact
      default -> throw new IllegalArgumentException();
    };
  }

  static BucketRing roundTrip(FeatureDef def, BucketRing ring) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      ring.write(out);
    }
    return BucketRing.read(def, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }
}
