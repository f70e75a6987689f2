package dev.driftline.core.drift.methods;

import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.DriftBins;
import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.NoDriftQuantile;
import dev.driftline.core.stats.Psi;
import dev.driftline.core.stats.PsiResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Population Stability Index: on numbers over the reference's quantile bins, on categories over
 * their union. Its default threshold 0.25 flags exactly the "major" reading. Its results carry the
 * counts compared ({@link DriftBins}), so that a report can draw them.
 */
public enum PsiDriftTest implements DriftTest {
  INSTANCE;

  private static final Definition DEFINITION = Definition.distance("psi",
      List.of(FeatureType.NUMERIC, FeatureType.CATEGORICAL), 0.25,
      "Population Stability Index on reference-quantile bins (numbers) or on categories (--categorical).");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  @Override
  public boolean binned(FeatureType type) {
    return type == FeatureType.NUMERIC;
  }

  @Override
  public Map<String, Option> extraOptions(FeatureType type) {
    return SizeAware.options();
  }

  @Override
  public FeatureDrift numeric(String feature, NumericSummary reference, long nReference, NumericSample current,
      DriftTestSpec spec) {
    NumericSummary.Bins bins = BinnedNumeric.bins(feature, reference, spec);
    long[] currentCounts = current.binCounts(bins.edges());
    PsiResult psi = Psi.fromBins(bins.edges(), bins.counts(), currentCounts);
    FeatureDrift result = FeatureDrift.distance(feature, FeatureType.NUMERIC, spec, psi.statistic(),
        BinnedNumeric.method(current), nReference, current.n(), psi.level().name().toLowerCase(Locale.ROOT))
        .withBins(DriftBins.numeric(bins.edges(), bins.counts(), currentCounts));
    return SizeAware.apply(result, spec, () -> NoDriftQuantile.psi(bins.edges().length + 1, current.n(), nReference));
  }

  @Override
  public FeatureDrift categorical(String feature, Map<String, Long> reference, Map<String, Long> current,
      DriftTestSpec spec) {
    PsiResult psi = Psi.categorical(reference, current);
    FeatureDrift result = FeatureDrift.distance(feature, FeatureType.CATEGORICAL, spec, psi.statistic(), "counts",
        Counts.total(reference), Counts.total(current), psi.level().name().toLowerCase(Locale.ROOT))
        .withBins(DriftBins.categorical(reference, current));
    return SizeAware.apply(result, spec, () ->
        NoDriftQuantile.psi(SizeAware.categories(reference, current), Counts.total(current), Counts.total(reference)));
  }
}
