package dev.driftline.core.drift.methods;

import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.NumericHistogram;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A distance between numbers in their unit, computed from the reference's and the window's buckets
 * (exact values, or coarsened histograms at a common shift) and read divided by the reference
 * standard deviation, so one threshold fits all scales; size-aware ({@link SizeAware}) with a
 * no-drift quantile divided by the same deviation. All a test like this adds is its distance and
 * that quantile. Results carry the distance in the values' unit in {@code details.distance}, which
 * {@code driftline stats} prints first, then the normalized one.
 */
interface ScaledDistance extends DriftTest {
  /** The distance, in the values' unit, between buckets at one shift. */
  double distance(NumericHistogram.Buckets reference, NumericHistogram.Buckets current);

  /** What the distance reaches by chance between {@code n} window and {@code m} reference values drawn like {@code reference}. */
  double noDriftQuantile(NumericHistogram.Buckets reference, long n, long m);

  @Override
  default Map<String, Option> extraOptions(FeatureType type) {
    return SizeAware.options();
  }

  @Override
  default FeatureDrift numeric(String feature, NumericSummary reference, long nReference, NumericSample current,
      DriftTestSpec spec) {
    NumericHistogram.Buckets ref = reference.buckets();
    NumericHistogram.Buckets cur = current.buckets();
    int shift = Math.max(ref.shift(), cur.shift());
    double d = distance(ref.atShift(shift), cur.atShift(shift));
    String method = shift > 0 ? "histogram" : reference.rankError() > 0 ? "sketch" : "exact";
    double scale = reference.std() > 0 ? reference.std() : 1.0;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("distance", d);
    FeatureDrift result = FeatureDrift.distance(feature, FeatureType.NUMERIC, spec, d / scale, method, nReference,
        current.n(), null).withDetails(details);
    return SizeAware.apply(result, spec, () -> noDriftQuantile(ref, current.n(), nReference) / scale);
  }

  /**
   * {@code driftline stats} prints the distance in the values' units, then the normalized one and
   * the size-aware threshold's parts.
   */
  @Override
  default double statsStatistic(FeatureDrift result) {
    return (Double) result.details().get("distance");
  }

  @Override
  default Map<String, Object> statsFields(FeatureDrift result) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("normalized", result.statistic());
    result.details().forEach((key, value) -> {
      if (!key.equals("distance")) {
        out.put(key, value);
      }
    });
    return out;
  }
}
