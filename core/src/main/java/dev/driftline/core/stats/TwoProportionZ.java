package dev.driftline.core.stats;

import org.apache.commons.math3.special.Erf;

/**
 * Two-sided z-test for the difference of two independent proportions with the pooled variance:
 * {@code z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2))}, {@code P = (x1 + x2) / (n1 + n2)}, and
 * {@code p = 2 · Φ(−|z|)}. Equals {@code statsmodels.stats.proportion.proportions_ztest([x1, x2],
 * [n1, n2])} and Evidently's {@code proportions_diff_z_test}; the p-value is computed as
 * {@code erfc(|z|/√2)}, which keeps its precision far in the tail where {@code 2(1 − Φ(|z|))} does
 * not. When every observation is in the same class (P is 0 or 1) there is no evidence of a
 * difference: z = 0, p = 1. Stateless and thread-safe.
 */
public final class TwoProportionZ {
  private TwoProportionZ() {}

  /** z and p. */
  public record Result(double statistic, double pValue) {}

  /**
   * @param x1 successes in the first sample (0 <= x1 <= n1)
   * @param n1 size of the first sample (> 0)
   */
  public static Result test(long x1, long n1, long x2, long n2) {
    if (n1 <= 0 || n2 <= 0) {
      throw new IllegalArgumentException("sample sizes " + n1 + " and " + n2 + ", expected both > 0");
    }
    if (x1 < 0 || x1 > n1 || x2 < 0 || x2 > n2) {
      throw new IllegalArgumentException("successes " + x1 + "/" + n1 + " and " + x2 + "/" + n2
          + ", expected 0 <= x <= n");
    }
    return compute(x1, n1, x2, n2);
  }

  /**
   * The same test with the first sample given by its share of successes: {@code x1 = share1 · n1},
   * which need not be whole (a share set by hand rather than counted).
   *
   * @param share1 in [0, 1]
   */
  public static Result ofShare(double share1, long n1, long x2, long n2) {
    if (n1 <= 0 || n2 <= 0) {
      throw new IllegalArgumentException("sample sizes " + n1 + " and " + n2 + ", expected both > 0");
    }
    if (!(share1 >= 0 && share1 <= 1) || x2 < 0 || x2 > n2) {
      throw new IllegalArgumentException("share " + share1 + " and successes " + x2 + "/" + n2
          + ", expected a share in [0, 1] and 0 <= x <= n");
    }
    return compute(share1 * n1, n1, x2, n2);
  }

  private static Result compute(double x1, long n1, double x2, long n2) {
    double p1 = x1 / n1;
    double p2 = x2 / n2;
    double pooled = (x1 + x2) / (n1 + n2);
    double variance = pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2);
    if (!(variance > 0)) {
      return new Result(0.0, 1.0);
    }
    double z = (p1 - p2) / Math.sqrt(variance);
    return new Result(z, Math.min(1.0, Erf.erfc(Math.abs(z) / Math.sqrt(2.0))));
  }
}
