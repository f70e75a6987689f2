package dev.driftline.core.drift.methods;

import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import java.util.List;
import java.util.Map;

/**
 * A distance between two distributions (0..1, flagged above its threshold) over categories, or
 * over the reference's quantile bins for numbers: all a test like this adds is its two distances.
 */
interface BinnedDistance extends DriftTest {
  /** The distance between two count vectors of the same bins. */
  double distance(double[] reference, double[] current);

  /** The distance between two category count maps, over their union. */
  double distance(Map<String, Long> reference, Map<String, Long> current);

  /** What the distance reaches by chance over {@code bins} bins at these sizes (see {@link SizeAware}). */
  double noDriftQuantile(int bins, long n, long m);

  /** A distance on categories and binned numbers, flagged above 0.1 unless the spec says otherwise. */
  static Definition definition(String id, String description) {
    return Definition.distance(id, List.of(FeatureType.CATEGORICAL, FeatureType.NUMERIC), 0.1, description);
  }

  @Override
  default Map<String, Option> extraOptions(FeatureType type) {
    return SizeAware.options();
  }

  @Override
  default boolean binned(FeatureType type) {
    return type == FeatureType.NUMERIC;
  }

  @Override
  default FeatureDrift numeric(String feature, NumericSummary reference, long nReference, NumericSample current,
      DriftTestSpec spec) {
    NumericSummary.Bins bins = BinnedNumeric.bins(feature, reference, spec);
    double d = distance(BinnedNumeric.toDoubles(bins.counts()), BinnedNumeric.toDoubles(current.binCounts(bins.edges())));
    FeatureDrift result = FeatureDrift.distance(feature, FeatureType.NUMERIC, spec, d, BinnedNumeric.method(current),
        nReference, current.n(), null);
    return SizeAware.apply(result, spec, () -> noDriftQuantile(bins.edges().length + 1, current.n(), nReference));
  }

  @Override
  default FeatureDrift categorical(String feature, Map<String, Long> reference, Map<String, Long> current,
      DriftTestSpec spec) {
    long m = Counts.total(reference);
    long n = Counts.total(current);
    FeatureDrift result = FeatureDrift.distance(feature, FeatureType.CATEGORICAL, spec, distance(reference, current),
        "counts", m, n, null);
    return SizeAware.apply(result, spec, () -> noDriftQuantile(SizeAware.categories(reference, current), n, m));
  }
}
