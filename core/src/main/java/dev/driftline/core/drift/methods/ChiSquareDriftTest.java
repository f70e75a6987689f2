package dev.driftline.core.drift.methods;

import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.CategoryPooling;
import dev.driftline.core.stats.ChiSquare;
import dev.driftline.core.stats.ChiSquareResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Chi-square test of homogeneity on categories ({@code scipy.stats.chi2_contingency}, no correction). */
public enum ChiSquareDriftTest implements DriftTest {
  INSTANCE;

  private static final Definition DEFINITION = Definition.pValue("chi2", List.of(FeatureType.CATEGORICAL), 0.05,
      "Chi-square test of homogeneity on categories (unseen categories count as their own).");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  /** Cochran's rule: cells with fewer expected counts than this are pooled (0 turns pooling off). */
  public static final double DEFAULT_MIN_EXPECTED = 5;

  @Override
  public Map<String, Option> extraOptions(FeatureType type) {
    return Map.of("min_expected", Option.number(DEFAULT_MIN_EXPECTED, 0, 1000));
  }

  /**
   * Pools categories with fewer than {@code min_expected} expected counts in the smaller sample
   * (see {@link CategoryPooling}), then tests the pooled table; {@code pooled_categories} in the
   * details says how many were pooled.
   */
  @Override
  public FeatureDrift categorical(String feature, Map<String, Long> reference, Map<String, Long> current,
      DriftTestSpec spec) {
    CategoryPooling.Pooled pooled = CategoryPooling.pool(reference, current,
        spec.option("min_expected", DEFAULT_MIN_EXPECTED));
    ChiSquareResult chi = ChiSquare.homogeneity(pooled.reference(), pooled.current());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("degrees_of_freedom", chi.degreesOfFreedom());
    if (pooled.pooledCategories() > 0) {
      details.put("pooled_categories", pooled.pooledCategories());
    }
    return FeatureDrift.pValue(feature, FeatureType.CATEGORICAL, spec, chi.statistic(), chi.pValue(), "counts",
        Counts.total(reference), Counts.total(current), null).withDetails(details);
  }
}
