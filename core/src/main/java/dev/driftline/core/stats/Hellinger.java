package dev.driftline.core.stats;

import java.util.Map;

/**
 * Hellinger distance between discrete distributions, in [0, 1]:
 * {@code H(p, q) = sqrt(1 - sum_i sqrt(p_i q_i)) = (1 / sqrt 2) * ||sqrt p - sqrt q||_2}.
 *
 * <p>Inputs are non-negative weight vectors normalized to sum to 1 first (as for
 * {@link JensenShannon}). The norm form is evaluated because it is exactly 0 for identical inputs,
 * where {@code 1 - sum sqrt(p q)} can round to a tiny nonzero value whose root is about 1e-8.
 *
 * <p>Stateless and thread-safe.
 */
public final class Hellinger {
  private Hellinger() {}

  /** Distance between weight vectors {@code p} and {@code q} (same length, >= 0, positive sums). */
  public static double distance(double[] p, double[] q) {
    double[][] pq = StatsInputs.distributions(p, q);
    double squares = 0;
    for (int i = 0; i < p.length; i++) {
      double d = Math.sqrt(pq[0][i]) - Math.sqrt(pq[1][i]);
      squares += d * d;
    }
    return Math.min(1.0, Math.sqrt(squares / 2.0));
  }

  /** Distance between two category-count maps over the union of their categories. */
  public static double categorical(Map<String, Long> reference, Map<String, Long> current) {
    return StatsInputs.overCategories(reference, current, Hellinger::distance);
  }
}
