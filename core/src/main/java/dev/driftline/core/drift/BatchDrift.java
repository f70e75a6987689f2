package dev.driftline.core.drift;

import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.FeatureBaseline;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.quality.FeatureQuality;
import dev.driftline.core.quality.QualityChecks;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Drift of a current CSV file against a baseline: every spec feature, every test; then
 * the spec's data-quality checks (a CSV has no values of the wrong type: an unusable cell fails the
 * read), which do not count as drifted features.
 */
public final class BatchDrift {
  private BatchDrift() {}

  public static DriftReport run(MonitorSpec spec, BaselineFile profile, CsvTable current) {
    List<FeatureDrift> results = new ArrayList<>();
    for (FeatureSpec feature : spec.features()) {
      FeatureBaseline ref = profile.features().get(feature.name());
      int column = current.column(feature.name());
      if (feature.type() == FeatureType.NUMERIC) {
        double[] values = current.numbers(column);
        results.addAll(DriftEvaluator.numeric(
            feature.name(), ref.numeric(), ref.count(), values, spec.testsFor(feature)));
      } else {
        Map<String, Long> counts = current.categoryCounts(column);
        results.addAll(DriftEvaluator.categorical(
            feature.name(), ref.categories(), counts, spec.testsFor(feature)));
      }
    }
    results = new ArrayList<>(DriftEvaluator.adjust(results, spec.multipleTesting()));
    results.addAll(quality(spec, profile, current));
    Set<String> drifted = new LinkedHashSet<>();
    for (FeatureDrift r : results) {
      if (r.drift() && !r.isQuality()) {
        drifted.add(r.feature());
      }
    }
    int tested = spec.features().size();
    return new DriftReport(spec.modelId(), profile.profileId(), spec.specHash(), current.source(),
        current.rowCount(), spec.multipleTesting().name().toLowerCase(Locale.ROOT), results, tested,
        drifted.size(), (double) drifted.size() / tested);
  }

  private static List<FeatureDrift> quality(MonitorSpec spec, BaselineFile profile, CsvTable current) {
    List<FeatureDrift> out = new ArrayList<>();
    if (spec.dataQuality().isEmpty()) {
      return out;
    }
    for (FeatureSpec feature : spec.features()) {
      FeatureBaseline ref = profile.features().get(feature.name());
      int column = current.column(feature.name());
      FeatureQuality window;
      if (feature.type() == FeatureType.NUMERIC) {
        double[] values = current.numbers(column);
        window = new FeatureQuality(current.rowCount(), current.rowCount() - values.length, 0,
            values.length == 0 ? null : NumericSample.of(values), null);
      } else {
        Map<String, Long> counts = current.categoryCounts(column);
        long present = counts.values().stream().mapToLong(Long::longValue).sum();
        window = new FeatureQuality(current.rowCount(), current.rowCount() - present, 0, null, counts);
      }
      out.addAll(QualityChecks.run(spec.dataQuality(), feature, window,
          feature.resolveConstraints(ref.constraintsOrSuggested(), ref.numeric()), ref.count() + ref.missing()));
    }
    return out;
  }
}
