package dev.driftline.core.stats;

/**
 * Result of a two-sided two-sample Kolmogorov-Smirnov test.
 *
 * @param statistic  D = sup |F_reference - F_current|, in [0, 1]. With {@link KsMethod#EXACT} it is
 *                   rounded to the nearest multiple of 1/lcm(nReference, nCurrent), as scipy does.
 * @param pValue     P(D' >= D) under H0 (same continuous distribution), in [0, 1]
 * @param method     how {@code pValue} was computed
 * @param nReference size of the reference sample
 * @param nCurrent   size of the current sample
 */
public record KsResult(double statistic, double pValue, KsMethod method, int nReference, int nCurrent) {

  /** True when H0 is rejected at level {@code alpha}: {@code pValue < alpha}. */
  public boolean drift(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    }
    return pValue < alpha;
  }
}
