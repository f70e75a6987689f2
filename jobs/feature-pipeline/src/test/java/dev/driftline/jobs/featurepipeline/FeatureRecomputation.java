package dev.driftline.jobs.featurepipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.features.Aggregation;
import dev.driftline.core.features.BucketRing;
import dev.driftline.core.features.FeatureDef;
import dev.driftline.core.features.FeatureView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The feature pipeline's expected output recomputed by brute force from raw card transactions, for the job's tests. */
final class FeatureRecomputation {
  /** 3 standard errors of HLL with lg k = 12 (1.04 / sqrt(4096)). */
  static final double HLL_BOUND = 3 * 1.04 / Math.sqrt(1 << BucketRing.HLL_LG_K);

  private FeatureRecomputation() {}

  /** A generated transaction; {@code seq} is its position in the topic (its arrival order). */
  record Txn(String card, long ts, double amount, String merchant, int seq) {}

  /**
   * The features of {@code view} as of {@code t}, straight from the definitions in {@link FeatureDef}
   * over the entity's raw events ({@code txns} sorted by time, then arrival).
   */
  static Map<String, Double> bruteForce(FeatureView view, List<Txn> txns, long t) {
    List<Txn> upTo = txns.stream().filter(x -> x.ts() <= t).toList(); // sorted by (ts, arrival)
    Map<String, Double> out = new LinkedHashMap<>();
    for (FeatureDef f : view.features()) {
      List<Txn> in = upTo;
      if (f.aggregation().windowed()) {
        long g = f.granularity().toMillis();
        long from = Math.floorDiv(t, g) * g - f.window().toMillis() + g;
        in = upTo.stream().filter(x -> x.ts() >= from).toList();
      }
      double sum = 0;
      for (Txn x : in) {
        sum += x.amount();
      }
      double mean = sum / in.size();
      double sq = 0;
      for (Txn x : in) {
        sq += (x.amount() - mean) * (x.amount() - mean);
      }
      Double v = switch (f.aggregation()) {
        case COUNT -> (double) in.size();
        case SUM -> sum;
        case MEAN -> in.isEmpty() ? null : mean;
        case MIN -> in.stream().mapToDouble(Txn::amount).boxed().min(Double::compare).orElse(null);
        case MAX -> in.stream().mapToDouble(Txn::amount).boxed().max(Double::compare).orElse(null);
        case STDDEV -> in.isEmpty() ? null : Math.sqrt(sq / in.size());
        case DISTINCT_COUNT -> (double) in.stream().map(Txn::merchant).distinct().count();
        case LAST -> upTo.get(upTo.size() - 1).amount();
        case TIME_SINCE_LAST -> upTo.stream().mapToLong(Txn::ts).filter(ts -> ts < t).max().stream()
            .mapToObj(ts -> (t - ts) / 1000.0).findFirst().orElse(null);
        case RATIO -> null;
      };
      out.put(f.name(), v);
    }
    for (FeatureDef f : view.features()) {
      if (f.aggregation() == Aggregation.RATIO) {
        Double n = out.get(f.numerator());
        Double d = out.get(f.denominator());
        out.put(f.name(), n == null || d == null || d == 0 ? null : n / d);
      }
    }
    return out;
  }

  /** Exact where the job's arithmetic is exact, within HLL's error for distinct counts, within 1e-9 for sums. */
  static void assertMatches(FeatureView view, Map<String, Double> actual, Map<String, Double> expected, String where) {
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    for (FeatureDef f : view.features()) {
      Double a = actual.get(f.name());
      Double e = expected.get(f.name());
      String what = f.name() + " of " + where;
      if (e == null) {
        assertThat(a).as(what).isNull();
        continue;
      }
      assertThat(a).as(what).isNotNull();
      switch (f.aggregation()) {
        case COUNT, MIN, MAX, LAST, TIME_SINCE_LAST -> assertThat(a).as(what).isEqualTo(e);
        case DISTINCT_COUNT -> assertThat(a).as(what).isCloseTo(e, within(Math.max(0.5, HLL_BOUND * e)));
        default -> assertThat(a).as(what).isCloseTo(e, within(1e-9 * Math.max(1, Math.abs(e))));
      }
    }
  }
}
