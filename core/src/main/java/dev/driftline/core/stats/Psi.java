package dev.driftline.core.stats;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Population Stability Index: {@code PSI = sum_i (c_i - r_i) ln(c_i / r_i)} over bins, where
 * {@code r_i} and {@code c_i} are the reference and current proportions in bin i, each clipped
 * below at {@link #EPSILON} before the formula (clip only; proportions are not renormalized).
 *
 * <p>Numeric binning: the interior edges are the reference's type-7 quantiles (see
 * {@link Quantiles}) at {@code 1/bins, ..., (bins-1)/bins}; equal edges (from ties) are merged, so
 * there may be fewer than {@code bins} bins. The bins are {@code (-inf, e1), [e1, e2), ...,
 * [ek, +inf)}: a value equal to an edge belongs to the bin above it.
 *
 * <p>Categorical PSI uses the union of both sides' categories in natural String order; a category
 * absent on one side has proportion 0 there (then clipped to epsilon).
 *
 * <p>Stateless and thread-safe. Inputs must be non-empty and finite (NaN is rejected with a
 * message naming the index).
 */
public final class Psi {
  /** Lower clip applied to every proportion before the logarithm. */
  public static final double EPSILON = 1e-4;

  /** Number of quantile bins used by {@link #numeric(double[], double[])}. */
  public static final int DEFAULT_BINS = 10;

  private Psi() {}

  /**
   * Distinct ascending interior edges: the reference's type-7 quantiles at
   * {@code i / bins, i = 1..bins-1}, duplicates merged. {@code bins >= 1}.
   */
  public static double[] binEdges(double[] reference, int bins) {
    StatsInputs.requireFinite("reference", reference);
    if (bins < 1) {
      throw new IllegalArgumentException("bins is " + bins + ", expected at least 1");
    }
    double[] sorted = reference.clone();
    Arrays.sort(sorted);
    double[] edges = new double[bins - 1];
    int k = 0;
    for (int i = 1; i < bins; i++) {
      double e = Quantiles.unchecked(sorted, (double) i / bins);
      // Quantiles at increasing levels are non-decreasing, so equal edges are adjacent.
      if (k == 0 || e != edges[k - 1]) {
        edges[k++] = e;
      }
    }
    return Arrays.copyOf(edges, k);
  }

  /** PSI over {@value #DEFAULT_BINS} reference-quantile bins. */
  public static PsiResult numeric(double[] reference, double[] current) {
    return numeric(reference, current, DEFAULT_BINS);
  }

  /** PSI over {@code bins} reference-quantile bins (fewer if edges coincide). */
  public static PsiResult numeric(double[] reference, double[] current, int bins) {
    double[] edges = binEdges(reference, bins);
    StatsInputs.requireFinite("current", current);
    return fromBins(edges, binCounts(edges, reference), binCounts(edges, current));
  }

  /**
   * Bin index of {@code x} for {@code edges}: the number of edges {@code <= x}, in
   * {@code 0..edges.length}. A value equal to an edge goes to the bin above it.
   */
  public static int binOf(double[] edges, double x) {
    int lo = 0;
    int hi = edges.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (edges[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * PSI from per-bin counts, for callers (such as a streaming job) that keep counts rather than
   * samples. {@code edges} are strictly ascending interior edges; both count arrays have
   * {@code edges.length + 1} non-negative entries with a positive total.
   */
  public static PsiResult fromBins(double[] edges, long[] referenceCounts, long[] currentCounts) {
    if (edges == null) {
      throw new IllegalArgumentException("edges is null");
    }
    for (int i = 0; i < edges.length; i++) {
      if (!Double.isFinite(edges[i])) {
        throw new IllegalArgumentException("edges[" + i + "] is " + edges[i] + ", expected a finite value");
      }
      if (i > 0 && !(edges[i] > edges[i - 1])) {
        throw new IllegalArgumentException("edges[" + i + "] is " + edges[i]
            + ", expected it greater than edges[" + (i - 1) + "] = " + edges[i - 1]);
      }
    }
    double[] ref = proportions("referenceCounts", referenceCounts, edges.length + 1);
    double[] cur = proportions("currentCounts", currentCounts, edges.length + 1);
    double psi = statistic(ref, cur);
    return new PsiResult(psi, edges, ref, cur, PsiLevel.of(psi), List.of());
  }

  /** PSI between two category-count maps over the union of their categories. */
  public static PsiResult categorical(Map<String, Long> reference, Map<String, Long> current) {
    long refTotal = StatsInputs.requireCounts("reference", reference);
    long curTotal = StatsInputs.requireCounts("current", current);
    String[] categories = StatsInputs.unionOfCategories(reference, current);
    double[] ref = new double[categories.length];
    double[] cur = new double[categories.length];
    for (int i = 0; i < categories.length; i++) {
      ref[i] = (double) reference.getOrDefault(categories[i], 0L) / refTotal;
      cur[i] = (double) current.getOrDefault(categories[i], 0L) / curTotal;
    }
    double psi = statistic(ref, cur);
    return new PsiResult(psi, new double[0], ref, cur, PsiLevel.of(psi), List.of(categories));
  }

  /** Count of {@code values} per bin of {@code edges} ({@code edges.length + 1} bins), by {@link #binOf}. */
  public static long[] binCounts(double[] edges, double[] values) {
    long[] counts = new long[edges.length + 1];
    for (double v : values) {
      counts[binOf(edges, v)]++;
    }
    return counts;
  }

  /**
   * Count per bin of a bucketed sample, each bucket counted in the bin of its
   * {@link NumericHistogram.Buckets#representative}: exactly {@link #binCounts(double[], double[])}
   * at shift 0; coarsened, only a bucket that straddles an edge can land on the wrong side of it.
   */
  public static long[] binCounts(double[] edges, NumericHistogram.Buckets buckets) {
    long[] counts = new long[edges.length + 1];
    for (int i = 0; i < buckets.size(); i++) {
      counts[binOf(edges, buckets.representative(i))] += buckets.counts()[i];
    }
    return counts;
  }

  private static double[] proportions(String name, long[] counts, int expectedLength) {
    if (counts == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (counts.length != expectedLength) {
      throw new IllegalArgumentException(name + " has " + counts.length
          + " bins, expected " + expectedLength + " (edges.length + 1)");
    }
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        throw new IllegalArgumentException(name + "[" + i + "] is " + counts[i] + ", expected a count >= 0");
      }
      total = Math.addExact(total, counts[i]);
    }
    if (total == 0) {
      throw new IllegalArgumentException(name + " has a total count of 0");
    }
    double[] p = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      p[i] = (double) counts[i] / total;
    }
    return p;
  }

  private static double statistic(double[] ref, double[] cur) {
    double psi = 0;
    for (int i = 0; i < ref.length; i++) {
      double r = Math.max(ref[i], EPSILON);
      double c = Math.max(cur[i], EPSILON);
      psi += (c - r) * Math.log(c / r);
    }
    return psi;
  }
}
