package dev.driftline.core.quality;

import dev.driftline.core.baseline.Constraints;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The share of a window's values of a categorical feature whose category is not among the
 * constraints' {@code categories} (those of the reference, or the list the spec sets).
 */
public enum UnseenCategoriesCheck implements QualityCheck {
  INSTANCE;

  /** Drift when more than this share of the values is in unseen categories. */
  public static final double DEFAULT_THRESHOLD = 0.01;

  private static final Definition DEFINITION = Definition.distance("unseen_categories",
      List.of(FeatureType.CATEGORICAL), DEFAULT_THRESHOLD,
      "Share of values in categories the reference does not know.");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  @Override
  public FeatureDrift check(String feature, FeatureType type, FeatureQuality window, Constraints constraints,
      long referenceRows, DriftTestSpec spec) {
    if (window.categories() == null || window.present() == 0 || constraints.categories() == null) {
      return null;
    }
    Set<String> known = new HashSet<>(constraints.categories());
    long total = 0;
    long unseen = 0;
    for (Map.Entry<String, Long> c : window.categories().entrySet()) {
      total += c.getValue();
      if (!known.contains(c.getKey())) {
        unseen += c.getValue();
      }
    }
    return FeatureDrift.distance(feature, type, spec, (double) unseen / total, "counts", referenceRows, total, null);
  }
}
