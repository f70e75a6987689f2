package dev.driftline.core.quality;

import dev.driftline.core.baseline.Constraints;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.NumericHistogram;
import java.util.List;

/**
 * The share of a window's values of a numeric feature outside the constraints' {@code [min, max]}
 * (the reference's range, or the quantile bounds or numbers the spec sets); a bound that is absent
 * does not limit. Exact while the window's values are; past that, each bucket counts by its
 * midpoint ({@code histogram}), which can misplace only values within a bucket's width of a bound.
 */
public enum OutOfRangeCheck implements QualityCheck {
  INSTANCE;

  /** Drift when more than this share of the values is out of range. */
  public static final double DEFAULT_THRESHOLD = 0.01;

  private static final Definition DEFINITION = Definition.distance("out_of_range",
      List.of(FeatureType.NUMERIC), DEFAULT_THRESHOLD,
      "Share of values outside the reference's range or the spec's bounds.");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  @Override
  public FeatureDrift check(String feature, FeatureType type, FeatureQuality window, Constraints constraints,
      long referenceRows, DriftTestSpec spec) {
    if (window.values() == null || (constraints.min() == null && constraints.max() == null)) {
      return null;
    }
    double min = constraints.min() == null ? Double.NEGATIVE_INFINITY : constraints.min();
    double max = constraints.max() == null ? Double.POSITIVE_INFINITY : constraints.max();
    NumericHistogram.Buckets buckets = window.values().buckets();
    long outside = 0;
    for (int i = 0; i < buckets.size(); i++) {
      double v = buckets.representative(i);
      if (v < min || v > max) {
        outside += buckets.counts()[i];
      }
    }
    return FeatureDrift.distance(feature, type, spec, (double) outside / buckets.n(),
        buckets.isExact() ? "exact" : "histogram", referenceRows, buckets.n(), null);
  }
}
