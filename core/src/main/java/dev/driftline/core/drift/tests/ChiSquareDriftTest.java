package dev.driftline.core.drift.tests;

import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.ChiSquare;
import dev.driftline.core.stats.ChiSquareResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Chi-square test of homogeneity on categories ({@code scipy.stats.chi2_contingency}, no correction). */
public enum ChiSquareDriftTest implements DriftTest {
  INSTANCE;

  @Override
  public String id() {
    return "chi2";
  }

  @Override
  public String description() {
    return "Chi-square test of homogeneity on categories (unseen categories count as their own).";
  }

  @Override
  public List<FeatureType> featureTypes() {
    return List.of(FeatureType.CATEGORICAL);
  }

  @Override
  public boolean isPValueTest() {
    return true;
  }

  @Override
  public double defaultThreshold() {
    return 0.05;
  }

  @Override
  public FeatureDrift categorical(String feature, Map<String, Long> reference, Map<String, Long> current,
      DriftTestSpec spec) {
    ChiSquareResult chi = ChiSquare.homogeneity(reference, current);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("degrees_of_freedom", chi.degreesOfFreedom());
    return FeatureDrift.pValue(feature, FeatureType.CATEGORICAL, spec, chi.statistic(), chi.pValue(), "counts",
        Counts.total(reference), Counts.total(current), null).withDetails(details);
  }
}
