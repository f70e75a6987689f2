package dev.driftline.core.drift.methods;

import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.TwoProportionZ;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Two-proportion z-test on a two-category feature ({@link TwoProportionZ}): the share of one
 * category in the reference against its share in the window. The category tested is the
 * reference's most frequent one (ties: the first by name), so with exactly two categories it is
 * the classic test and the p-value does not depend on which of the two is named; with more, it
 * tests that category against all others.
 */
public enum ZTestDriftTest implements DriftTest {
  INSTANCE;

  private static final Definition DEFINITION = Definition.pValue("ztest", List.of(FeatureType.CATEGORICAL), 0.05,
      "Two-proportion z-test on a two-category feature (pooled variance, as statsmodels' proportions_ztest).");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  @Override
  public FeatureDrift categorical(String feature, Map<String, Long> reference, Map<String, Long> current,
      DriftTestSpec spec) {
    long nRef = Counts.total(reference);
    long nCur = Counts.total(current);
    if (nRef == 0 || nCur == 0) {
      throw new IllegalArgumentException(feature + ": ztest needs values on both sides");
    }
    String category = null;
    for (String c : new TreeSet<>(reference.keySet())) {
      if (category == null || reference.get(c) > reference.get(category)) {
        category = c;
      }
    }
    TwoProportionZ.Result z = TwoProportionZ.test(reference.getOrDefault(category, 0L), nRef,
        current.getOrDefault(category, 0L), nCur);
    return FeatureDrift.pValue(feature, FeatureType.CATEGORICAL, spec, z.statistic(), z.pValue(), "counts",
        nRef, nCur, null);
  }
}
