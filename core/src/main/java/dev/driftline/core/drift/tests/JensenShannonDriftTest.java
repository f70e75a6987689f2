package dev.driftline.core.drift.tests;

import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.profile.NumericSummary;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.JensenShannon;
import java.util.List;
import java.util.Map;

/** Jensen–Shannon distance (base 2, 0..1): over categories, or over the reference's quantile bins. */
public enum JensenShannonDriftTest implements DriftTest {
  INSTANCE;

  @Override
  public String id() {
    return "jensen_shannon";
  }

  @Override
  public List<String> aliases() {
    return List.of("js");
  }

  @Override
  public String description() {
    return "Jensen–Shannon distance (base 2, 0..1) between category distributions (or numbers in reference-quantile bins, --numeric).";
  }

  @Override
  public List<FeatureType> featureTypes() {
    return List.of(FeatureType.CATEGORICAL, FeatureType.NUMERIC);
  }

  @Override
  public boolean isPValueTest() {
    return false;
  }

  @Override
  public double defaultThreshold() {
    return 0.1;
  }

  @Override
  public boolean binned(FeatureType type) {
    return type == FeatureType.NUMERIC;
  }

  @Override
  public FeatureDrift numeric(String feature, NumericSummary reference, long nReference, NumericSample current,
      DriftTestSpec spec) {
    NumericSummary.Bins bins = BinnedNumeric.bins(feature, reference, spec);
    double d = JensenShannon.distance(BinnedNumeric.toDoubles(bins.counts()),
        BinnedNumeric.toDoubles(current.binCounts(bins.edges())));
    return FeatureDrift.distance(feature, FeatureType.NUMERIC, spec, d, BinnedNumeric.method(current),
        nReference, current.n(), null);
  }

  @Override
  public FeatureDrift categorical(String feature, Map<String, Long> reference, Map<String, Long> current,
      DriftTestSpec spec) {
    return FeatureDrift.distance(feature, FeatureType.CATEGORICAL, spec, JensenShannon.categorical(reference, current),
        "counts", Counts.total(reference), Counts.total(current), null);
  }
}
