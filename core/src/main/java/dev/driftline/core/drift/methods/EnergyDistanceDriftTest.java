package dev.driftline.core.drift.methods;

import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.NoDriftQuantile;
import dev.driftline.core.stats.NumericHistogram;
import dev.driftline.core.stats.StepCdfs;
import java.util.List;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * Energy distance between numbers, {@code scipy.stats.energy_distance}: in one dimension
 * {@code sqrt(2 ∫ (F(x) − G(x))² dx)} over the two empirical distribution functions, in the values'
 * unit; read divided by the reference standard deviation, as {@link WassersteinDriftTest} is. Exact
 * on exact samples; on coarsened ones each bucket's mass sits at its midpoint.
 *
 * <p>The default threshold 0.075 is what a shift of the mean by 0.1 standard deviation gives for
 * normal numbers ({@code 0.1 / π^(1/4) = 0.0751}): the change Wasserstein's 0.1 flags.
 *
 * <p>Size-aware ({@link SizeAware}): under no drift {@code Q = ∫ (F_n − G_m)² dx / (1/n + 1/m)} tends
 * to {@code ∫ B(F(x))² dx} for a Brownian bridge B (Cramér–von Mises in the values' metric). Written
 * as {@code μ ·} a weighted average of {@code B(u)² / (u(1 − u))}, each a chi-square(1), with
 * {@code μ = ∫ F(1 − F) dx} from the reference, Q / μ is below any one chi-square(1) in convex order
 * (Jensen), so its {@code 1 − }{@link NoDriftQuantile#TAIL} quantile is at most chi-square(1)'s mean
 * above that quantile, {@link #NO_DRIFT_FACTOR} = 8.449. The quantile used is
 * {@code sqrt(2 · 8.449 · μ · (1/n + 1/m))}: at most 1 % of no-drift windows above it for any
 * distribution, as n and m grow; conservative for continuous numbers.
 */
public enum EnergyDistanceDriftTest implements ScaledDistance {
  INSTANCE;

  /**
   * The mean of chi-square(1) above its {@code 1 − TAIL} quantile q: {@code P(chi-square(3) > q) / TAIL}
   * (as {@code x f_1(x) = f_3(x)}); scipy: {@code chi2.sf(chi2.ppf(0.99, 1), 3) / 0.01 = 8.44916596}.
   */
  public static final double NO_DRIFT_FACTOR = chiSquareOneTailMean();

  private static final Definition DEFINITION = Definition.distance("energy_distance", List.of(FeatureType.NUMERIC), 0.075,
      "Energy distance between numbers (scipy's energy_distance); drift is read on it divided by the reference standard deviation.");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  @Override
  public double distance(NumericHistogram.Buckets reference, NumericHistogram.Buckets current) {
    return Math.sqrt(2 * StepCdfs.between(reference, current, d -> d * d));
  }

  @Override
  public double noDriftQuantile(NumericHistogram.Buckets reference, long n, long m) {
    if (n <= 0 || m <= 0) {
      return 0.0;
    }
    return Math.sqrt(2 * NO_DRIFT_FACTOR * StepCdfs.of(reference, f -> f * (1 - f)) * (1.0 / n + 1.0 / m));
  }

  private static double chiSquareOneTailMean() {
    double q = new ChiSquaredDistribution(null, 1).inverseCumulativeProbability(1 - NoDriftQuantile.TAIL);
    return (1 - new ChiSquaredDistribution(null, 3).cumulativeProbability(q)) / NoDriftQuantile.TAIL;
  }
}
