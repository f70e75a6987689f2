package dev.driftline.core.quality;

import dev.driftline.core.baseline.Constraints;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import java.util.List;

/**
 * The share of a window's rows whose value of the feature had the wrong type (a string for a
 * numeric feature, a number, boolean or object for a categorical one). Such a value is counted
 * here and treated as missing; the prediction itself is kept. By default any is a failure.
 */
public enum WrongTypeCheck implements QualityCheck {
  INSTANCE;

  /** Any value of the wrong type fails the check. */
  private static final Definition DEFINITION = Definition.distance("wrong_type",
      List.of(FeatureType.NUMERIC, FeatureType.CATEGORICAL), 0.0,
      "Share of values of the wrong type (counted as missing; the prediction is kept).");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  @Override
  public FeatureDrift check(String feature, FeatureType type, FeatureQuality window, Constraints constraints,
      long referenceRows, DriftTestSpec spec) {
    if (window.rows() == 0) {
      return null;
    }
    return FeatureDrift.distance(feature, type, spec, (double) window.wrongType() / window.rows(), "counts",
        referenceRows, window.rows(), null);
  }
}
