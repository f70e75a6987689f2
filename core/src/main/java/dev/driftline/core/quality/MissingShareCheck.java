package dev.driftline.core.quality;

import dev.driftline.core.baseline.Constraints;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.TwoProportionZ;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The share of missing cells in a window against the reference's: the two-proportion z-test of
 * {@link TwoProportionZ} (as {@code statsmodels}' {@code proportions_ztest}), reference first, on
 * the reference's rows with its {@code missing_share} and the window's rows with its missing cells
 * (wrong-type values included). The statistic is the window's missing share; z and the reference's
 * share are details.
 */
public enum MissingShareCheck implements QualityCheck {
  INSTANCE;

  private static final Definition DEFINITION = Definition.pValue("missing_share",
      List.of(FeatureType.NUMERIC, FeatureType.CATEGORICAL), 0.05,
      "Share of missing values against the reference's (two-proportion z-test).");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  @Override
  public FeatureDrift check(String feature, FeatureType type, FeatureQuality window, Constraints constraints,
      long referenceRows, DriftTestSpec spec) {
    if (window.rows() == 0 || referenceRows <= 0 || constraints.missingShare() == null) {
      return null;
    }
    double share = (double) window.missing() / window.rows();
    TwoProportionZ.Result z = TwoProportionZ.ofShare(constraints.missingShare(), referenceRows, window.missing(),
        window.rows());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("z", z.statistic());
    details.put("reference_share", constraints.missingShare());
    return FeatureDrift.pValue(feature, type, spec, share, z.pValue(), "counts", referenceRows, window.rows(), null)
        .withDetails(details);
  }
}
