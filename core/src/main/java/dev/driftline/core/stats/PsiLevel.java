package dev.driftline.core.stats;

/**
 * Conventional reading of a Population Stability Index value. Boundaries are inclusive on the
 * MODERATE side: {@code psi < 0.1} is STABLE, {@code 0.1 <= psi <= 0.25} is MODERATE, and
 * {@code psi > 0.25} is MAJOR.
 */
public enum PsiLevel {
  /** {@code psi < 0.1}: no meaningful shift. */
  STABLE,
  /** {@code 0.1 <= psi <= 0.25}: a moderate shift worth watching. */
  MODERATE,
  /** {@code psi > 0.25}: a major shift. */
  MAJOR;

  /** Level of a PSI value; NaN is rejected. */
  public static PsiLevel of(double psi) {
    if (Double.isNaN(psi)) {
      throw new IllegalArgumentException("psi is NaN");
    }
    if (psi < 0.1) {
      return STABLE;
    }
    return psi <= 0.25 ? MODERATE : MAJOR;
  }
}
