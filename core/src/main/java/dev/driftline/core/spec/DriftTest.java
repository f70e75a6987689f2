package dev.driftline.core.spec;

import java.util.EnumSet;
import java.util.Set;

/**
 * A drift test and how its result is read: a hypothesis test flags drift when its p-value is below
 * alpha; a distance flags drift when it is above its threshold (so PSI's default 0.25 flags
 * exactly the "major" reading).
 */
public enum DriftTest {
  KS("ks", true, 0.05, EnumSet.of(FeatureType.NUMERIC)),
  PSI("psi", false, 0.25, EnumSet.allOf(FeatureType.class)),
  CHI2("chi2", true, 0.05, EnumSet.of(FeatureType.CATEGORICAL)),
  JENSEN_SHANNON("jensen_shannon", false, 0.1, EnumSet.allOf(FeatureType.class)),
  /** Wasserstein-1 divided by the reference standard deviation, so one threshold fits all scales. */
  WASSERSTEIN("wasserstein", false, 0.1, EnumSet.of(FeatureType.NUMERIC)),
  HELLINGER("hellinger", false, 0.1, EnumSet.allOf(FeatureType.class));

  private final String id;
  private final boolean pValueTest;
  private final double defaultThreshold;
  private final Set<FeatureType> appliesTo;

  DriftTest(String id, boolean pValueTest, double defaultThreshold, Set<FeatureType> appliesTo) {
    this.id = id;
    this.pValueTest = pValueTest;
    this.defaultThreshold = defaultThreshold;
    this.appliesTo = appliesTo;
  }

  public String id() {
    return id;
  }

  /** True for tests read by p-value against alpha (KS, chi-square). */
  public boolean isPValueTest() {
    return pValueTest;
  }

  /** Alpha for p-value tests, the distance threshold otherwise. */
  public double defaultThreshold() {
    return defaultThreshold;
  }

  public boolean appliesTo(FeatureType type) {
    return appliesTo.contains(type);
  }

  /** Whether a result of this test is drift at the given alpha or threshold. */
  public boolean isDrift(double statisticOrPValue, double threshold) {
    return pValueTest ? statisticOrPValue < threshold : statisticOrPValue > threshold;
  }
}
