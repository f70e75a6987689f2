package dev.driftline.core.drift.methods;

import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.NoDriftQuantile;
import dev.driftline.core.stats.NumericHistogram;
import dev.driftline.core.stats.Wasserstein;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wasserstein-1 distance divided by the reference standard deviation, so one threshold fits all
 * scales ({@code scipy.stats.wasserstein_distance} / std). Exact on exact samples; on coarsened
 * ones each bucket's mass sits at its midpoint (off by at most half a bucket width per value).
 * Size-aware by default ({@link SizeAware}): the threshold is at least the distance's no-drift
 * quantile at the window's and reference's sizes ({@link NoDriftQuantile#wasserstein}), divided
 * by the same standard deviation.
 */
public enum WassersteinDriftTest implements DriftTest {
  INSTANCE;

  private static final Definition DEFINITION = Definition.distance("wasserstein",
      List.of(FeatureType.NUMERIC), 0.1, "Wasserstein-1 distance between numbers; drift is read on it divided by the reference standard deviation.");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  @Override
  public Map<String, Option> extraOptions(FeatureType type) {
    return SizeAware.options();
  }

  @Override
  public FeatureDrift numeric(String feature, NumericSummary reference, long nReference, NumericSample current,
      DriftTestSpec spec) {
    NumericHistogram.Buckets ref = reference.buckets();
    NumericHistogram.Buckets cur = current.buckets();
    int shift = Math.max(ref.shift(), cur.shift());
    double w = Wasserstein.distance(ref.atShift(shift), cur.atShift(shift));
    String method = shift > 0 ? "histogram" : reference.rankError() > 0 ? "sketch" : "exact";
    // Normalized by the reference spread so one threshold serves every feature's scale.
    double scale = reference.std() > 0 ? reference.std() : 1.0;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("distance", w);
    FeatureDrift result = FeatureDrift.distance(feature, FeatureType.NUMERIC, spec, w / scale, method, nReference,
        current.n(), null).withDetails(details);
    return SizeAware.apply(result, spec, () -> NoDriftQuantile.wasserstein(ref, current.n(), nReference) / scale);
  }

  /**
   * {@code driftline stats} prints the distance in the values' units, then the normalized one and
   * the size-aware threshold's parts.
   */
  @Override
  public double statsStatistic(FeatureDrift result) {
    return (Double) result.details().get("distance");
  }

  @Override
  public Map<String, Object> statsFields(FeatureDrift result) {
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
