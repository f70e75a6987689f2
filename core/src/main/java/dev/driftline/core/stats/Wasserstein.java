package dev.driftline.core.stats;

import java.util.Arrays;

/**
 * First Wasserstein (earth mover's) distance between two one-dimensional empirical
 * distributions with equal weights per sample: {@code integral |F_u(x) - F_v(x)| dx}, in the
 * units of the values. Equals {@code scipy.stats.wasserstein_distance(u, v)}.
 *
 * <p>Stateless and thread-safe. O((n + m) log(n + m)).
 */
public final class Wasserstein {
  private Wasserstein() {}

  /** Distance between samples {@code u} and {@code v} (non-empty, finite). */
  public static double distance(double[] u, double[] v) {
    StatsInputs.requireFinite("u", u);
    StatsInputs.requireFinite("v", v);
    double[] su = u.clone();
    double[] sv = v.clone();
    Arrays.sort(su);
    Arrays.sort(sv);
    int n = su.length;
    int m = sv.length;
    // Walk the merged sorted values; between consecutive values x_k <= x_{k+1}, the empirical
    // CDFs are constant: F_u = #(u <= x_k) / n, likewise for v.
    int i = 0;
    int j = 0;
    double total = 0;
    double previous = Math.min(su[0], sv[0]);
    while (i < n || j < m) {
      double x = (j >= m || (i < n && su[i] <= sv[j])) ? su[i] : sv[j];
      if (x > previous) {
        double fu = (double) i / n;
        double fv = (double) j / m;
        total += Math.abs(fu - fv) * (x - previous);
        previous = x;
      }
      while (i < n && su[i] == x) {
        i++;
      }
      while (j < m && sv[j] == x) {
        j++;
      }
    }
    return total;
  }

  /**
   * Distance between two samples given as buckets at the same shift, each bucket's mass at its
   * {@link NumericHistogram.Buckets#representative}: at shift 0 exactly {@link #distance(double[],
   * double[])} of the expanded values (the same walk and arithmetic); coarsened, within half a
   * bucket width per value of it.
   */
  public static double distance(NumericHistogram.Buckets u, NumericHistogram.Buckets v) {
    return StepCdfs.between(u, v, Math::abs);
  }
}
