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
 *
 * <p>Wasserstein-1 has no bins: under no drift {@code W / sqrt(1/n + 1/m)} tends to
 * {@code ∫ |B(F(x))| dx} for a Brownian bridge B and the common distribution F (del Barrio, Giné
 * and Matrán, 1999). Divided by {@code J = ∫ sqrt(F(x)(1 − F(x))) dx}, computed from the
 * reference, this is a weighted average of {@code |B(u)| / sqrt(u(1 − u))}, each term a standard
 * half-normal: {@code R = W / (J · sqrt(1/n + 1/m))} is nearly free of F. Its 99th percentile,
 * simulated (4,000 draws per cell; windows of 100 to 5,000, references of 1,000 and 5,000), is
 * 1.67 to 1.73 for normal numbers, 1.70 to 1.93 for exponential, lognormal and Poisson(4) ones,
 * and 1.87 to 1.96 for uniform reals and integers 18..90; with all weight on one point (a feature
 * of two values) R is {@code |Z|}, above 2 with probability 0.0455. The quantile used is
 * {@link #WASSERSTEIN_FACTOR}{@code · J · sqrt(1/n + 1/m)}: about 1 % of no-drift windows above it
 * for continuous features, at most about 5 % for any.
 */
public final class NoDriftQuantile {
  /** The share of no-drift windows expected above the quantile. */
  public static final double TAIL = 0.01;

  /** The no-drift quantile of {@code R = W / (J · sqrt(1/n + 1/m))} used for Wasserstein-1 (see the class comment). */
  public static final double WASSERSTEIN_FACTOR = 2.0;

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

  /**
   * Wasserstein-1 distance, in the values' units, between a window of {@code n} and a reference of
   * {@code m} values drawn like {@code reference}; 0 when either is empty or the reference has one
   * value.
   */
  public static double wasserstein(NumericHistogram.Buckets reference, long n, long m) {
    if (n <= 0 || m <= 0) {
      return 0.0;
    }
    return WASSERSTEIN_FACTOR * spread(reference) * Math.sqrt(1.0 / n + 1.0 / m);
  }

  /**
   * {@code J = ∫ sqrt(F(x)(1 − F(x))) dx} of the buckets' step distribution function F: over each
   * gap between consecutive bucket values, F is the share at or below the lower one.
   */
  static double spread(NumericHistogram.Buckets buckets) {
    return StepCdfs.of(buckets, f -> Math.sqrt(f * (1 - f)));
  }
}
