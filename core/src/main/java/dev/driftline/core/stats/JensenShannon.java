package dev.driftline.core.stats;

import java.util.Map;

/**
 * Jensen-Shannon distance with base-2 logarithms: {@code sqrt(JSD(p || q))}, in [0, 1].
 *
 * <p>Inputs are non-negative weight vectors that are normalized to sum to 1 first, exactly like
 * {@code scipy.spatial.distance.jensenshannon(p, q, base=2)}, whose operation order is followed so
 * results agree within 1e-12. Terms with {@code p_i = 0} contribute 0.
 *
 * <p>Stateless and thread-safe.
 */
public final class JensenShannon {
  private static final double LN2 = Math.log(2.0);

  private JensenShannon() {}

  /** Distance between weight vectors {@code p} and {@code q} (same length, >= 0, positive sums). */
  public static double distance(double[] p, double[] q) {
    double[][] pq = StatsInputs.distributions(p, q);
    double left = 0;
    double right = 0;
    for (int i = 0; i < p.length; i++) {
      double pi = pq[0][i];
      double qi = pq[1][i];
      double m = (pi + qi) / 2.0;
      left += relEntr(pi, m);
      right += relEntr(qi, m);
    }
    double js = (left + right) / LN2;
    // Rounding can leave a tiny negative for identical inputs; the distance is then 0.
    return Math.sqrt(Math.max(js / 2.0, 0.0));
  }

  /** Distance between two category-count maps over the union of their categories. */
  public static double categorical(Map<String, Long> reference, Map<String, Long> current) {
    return StatsInputs.overCategories(reference, current, JensenShannon::distance);
  }

  /** scipy.special.rel_entr for x >= 0, y >= 0 where y > 0 whenever x > 0. */
  private static double relEntr(double x, double y) {
    return x == 0 ? 0.0 : x * Math.log(x / y);
  }
}
