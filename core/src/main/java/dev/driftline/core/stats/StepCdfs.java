package dev.driftline.core.stats;

import java.util.function.DoubleUnaryOperator;

/**
 * Integrals over the step distribution functions of bucketed samples ({@link NumericHistogram.Buckets},
 * each bucket's mass at its {@link NumericHistogram.Buckets#representative}): what the distances
 * between numbers that read the whole distribution function (Wasserstein-1, energy distance) and
 * their no-drift quantiles share. Stateless and thread-safe; O(buckets).
 */
public final class StepCdfs {
  private StepCdfs() {}

  /**
   * {@code ∫ g(F_u(x) − F_v(x)) dx} over the two samples' step distribution functions (for
   * Wasserstein-1 {@code g = |·|}): between consecutive bucket values of either sample both are
   * constant, the share at or below the lower value.
   */
  public static double between(NumericHistogram.Buckets u, NumericHistogram.Buckets v, DoubleUnaryOperator g) {
    if (u.shift() != v.shift()) {
      throw new IllegalArgumentException("buckets at shifts " + u.shift() + " and " + v.shift()
          + "; bring them to one shift first");
    }
    if (u.n() == 0 || v.n() == 0) {
      throw new IllegalArgumentException((u.n() == 0 ? "u" : "v") + " is empty");
    }
    long[] uk = u.keys();
    long[] vk = v.keys();
    double n = u.n();
    double m = v.n();
    int i = 0;
    int j = 0;
    long cu = 0;
    long cv = 0;
    double total = 0;
    double previous = Double.NaN;
    while (i < uk.length || j < vk.length) {
      boolean fromU = j >= vk.length || (i < uk.length && uk[i] <= vk[j]);
      long key = fromU ? uk[i] : vk[j];
      double x = fromU ? u.representative(i) : v.representative(j);
      if (Double.isNaN(previous)) {
        previous = x;
      }
      if (x > previous) {
        total += g.applyAsDouble(cu / n - cv / m) * (x - previous);
        previous = x;
      }
      if (i < uk.length && uk[i] == key) {
        cu += u.counts()[i++];
      }
      if (j < vk.length && vk[j] == key) {
        cv += v.counts()[j++];
      }
    }
    return total;
  }

  /** {@code ∫ g(F(x)) dx} over the buckets' step distribution function F, e.g. {@code ∫ F(1 − F) dx}. */
  public static double of(NumericHistogram.Buckets buckets, DoubleUnaryOperator g) {
    long[] counts = buckets.counts();
    double total = buckets.n();
    double integral = 0;
    long below = 0;
    for (int i = 0; i + 1 < counts.length; i++) {
      below += counts[i];
      integral += (buckets.representative(i + 1) - buckets.representative(i)) * g.applyAsDouble(below / total);
    }
    return integral;
  }
}
