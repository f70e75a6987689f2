package dev.driftline.core.window;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.DriftEvaluator;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.Task;
import java.util.List;
import java.util.Map;

/**
 * Label drift of one window: the labels known so far against the reference's labels, as results on
 * the feature {@link DriftResult#LABEL_FEATURE}, typed {@link DriftResult#LABEL_TYPE}. A
 * binary classifier's labels are tested as a categorical feature on the classes {@code "0"}/{@code "1"},
 * a multiclass classifier's on its spec's {@code classes} (the window's count of each class against
 * the reference's: chi-square and PSI by default), with the spec's categorical tests (by default chi-square and PSI), a regressor's as a numeric
 * feature with the spec's numeric tests (by default KS and PSI). Multiple-testing control runs
 * over these results alone: they are computed when labels arrive, not with the window's features.
 */
public final class LabelDrift {
  private LabelDrift() {}

  /** Whether {@code baseline} has a label reference; without one there is no label drift. */
  public static boolean hasReference(Baseline baseline) {
    return baseline.numeric().containsKey(DriftResult.LABEL_FEATURE)
        || baseline.categorical().containsKey(DriftResult.LABEL_FEATURE);
  }

  /** The label tests of {@code window}; empty without a label in the window or in the baseline. */
  public static List<FeatureDrift> evaluate(MonitorSpec spec, Baseline baseline, PerformanceWindow window) {
    String name = DriftResult.LABEL_FEATURE;
    List<FeatureDrift> results;
    if (spec.task() == Task.REGRESSION) {
      NumericSample current = window.labelValues();
      NumericSummary reference = baseline.numeric().get(name);
      if (current == null || reference == null) {
        return List.of();
      }
      results = DriftEvaluator.numeric(name, reference, baseline.counts().get(name), current,
          spec.testsFor(FeatureType.NUMERIC));
    } else {
      Map<String, Long> current = spec.task() == Task.MULTICLASS_CLASSIFICATION
          ? window.labelCounts(spec.classes()) : window.labelCounts();
      Map<String, Long> reference = baseline.categorical().get(name);
      if (window.labelled() == 0 || reference == null) {
        return List.of();
      }
      results = DriftEvaluator.categorical(name, reference, current, spec.testsFor(FeatureType.CATEGORICAL));
    }
    return DriftEvaluator.adjust(results.stream().map(r -> r.withFeatureType(DriftResult.LABEL_TYPE)).toList(),
        spec.multipleTesting());
  }

  /** The label drift results of a (model, segment) window, each with the window's label coverage. */
  public static List<DriftResult> results(MonitorSpec spec, String segment, long windowStart, long windowEnd,
      Baseline baseline, PerformanceWindow window, long computedAt) {
    double coverage = Double.isNaN(window.coverage()) ? 0.0 : window.coverage();
    return evaluate(spec, baseline, window).stream()
        .map(d -> DriftResult.of(spec.modelId(), segment, windowStart, windowEnd, d, baseline.referenceId(), computedAt)
            .withLabelCoverage(coverage))
        .toList();
  }
}
