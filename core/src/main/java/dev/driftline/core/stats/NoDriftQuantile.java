package dev.driftline.core.stats;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * How large a binned distance gets by chance alone between a window of {@code n} and a reference of
 * {@code m} values of one distribution over {@code bins} bins (or categories), at the
 * {@code 1 − }{@link #TAIL} quantile. All three distances are, for small differences, multiples of
 * {@code S = Σ (p_i − q_i)² / π_i}, and {@code S / (1/n + 1/m)} is about chi-square with
 * {@code bins − 1} degrees of freedom: PSI ≈ S, Jensen–Shannon divergence ≈ S / 8 (nats),
 * Hellinger² ≈ S / 8. Hence PSI's bias of about {@code (bins − 1)(1/n + 1/m)}, which makes a fixed
 * threshold fire on small windows without any drift. The approximation needs a few expected
 * values per bin; with rare categories in small windows the true quantile is higher
 * (STATISTICS.md measures how much).
 */
public final class NoDriftQuantile {
  /** The share of no-drift windows expected above the quantile. */
  public static final double TAIL = 0.01;

  private NoDriftQuantile() {}

  /** {@code S} at the quantile: chi-square(bins − 1) at {@code 1 − TAIL} times {@code 1/n + 1/m}; 0 for one bin. */
  public static double scale(int bins, long n, long m) {
    if (bins < 2 || n <= 0 || m <= 0) {
      return 0.0;
    }
    return CHI_SQUARE_QUANTILE.computeIfAbsent(bins - 1,
        df -> new ChiSquaredDistribution(null, df).inverseCumulativeProbability(1 - TAIL)) * (1.0 / n + 1.0 / m);
  }

  /**
   * Chi-square's {@code 1 − TAIL} quantile per degrees of freedom: a window close asks for it per
   * binned test, and computing it builds a distribution (with a random generator) and iterates.
   */
  private static final Map<Integer, Double> CHI_SQUARE_QUANTILE = new ConcurrentHashMap<>();

  public static double psi(int bins, long n, long m) {
    return scale(bins, n, m);
  }

  /** Jensen–Shannon distance, base 2, as {@link JensenShannon} computes it. */
  public static double jensenShannon(int bins, long n, long m) {
    return Math.sqrt(scale(bins, n, m) / (8 * Math.log(2.0)));
  }

  public static double hellinger(int bins, long n, long m) {
    return Math.min(1.0, Math.sqrt(scale(bins, n, m) / 8));
  }
}
