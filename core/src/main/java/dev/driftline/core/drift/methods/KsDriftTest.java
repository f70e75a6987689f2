package dev.driftline.core.drift.methods;

import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.KolmogorovSmirnov;
import dev.driftline.core.stats.KsResult;
import dev.driftline.core.stats.NumericHistogram;
import dev.driftline.core.stats.SketchKsResult;
import java.util.List;
import java.util.Locale;

/**
 * Two-sample Kolmogorov–Smirnov on numbers. Exact samples on both sides: scipy's {@code ks_2samp}
 * ({@code method='auto'}). Otherwise (a coarsened window or reference histogram, or a legacy sketch
 * reference) the conservative p of {@link KolmogorovSmirnov#ofBuckets}: bucket or sketch error
 * must not raise an alarm on its own.
 */
public enum KsDriftTest implements DriftTest {
  INSTANCE;

  private static final Definition DEFINITION = Definition.pValue("ks", List.of(FeatureType.NUMERIC), 0.05,
      "Two-sample Kolmogorov–Smirnov test on numbers (exact or asymptotic p, as scipy's method='auto').");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  @Override
  public FeatureDrift numeric(String feature, NumericSummary reference, long nReference, NumericSample current,
      DriftTestSpec spec) {
    NumericHistogram.Buckets ref = reference.buckets();
    double rankError = reference.rankError();
    if (rankError == 0 && ref.isExact() && current.isExact()) {
      KsResult ks = KolmogorovSmirnov.twoSample(ref, current.buckets());
      return FeatureDrift.pValue(feature, FeatureType.NUMERIC, spec, ks.statistic(), ks.pValue(),
          ks.method().name().toLowerCase(Locale.ROOT), nReference, current.n(), null);
    }
    SketchKsResult ks = KolmogorovSmirnov.ofBuckets(ref, current.buckets(), rankError);
    return FeatureDrift.pValue(feature, FeatureType.NUMERIC, spec, ks.statistic(), ks.conservativePValue(),
        ks.method().name().toLowerCase(Locale.ROOT), nReference, current.n(), ks.statisticErrorBound());
  }
}
