package dev.driftline.core.baseline;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.Constraints;
import dev.driftline.core.baseline.FeatureBaseline;
import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.estimation.ScoreCalibration;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.Task;
import dev.driftline.core.stats.PcaModel;
import dev.driftline.core.window.LabelClasses;
import dev.driftline.core.window.WindowSummary;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a window is compared with: per numeric feature (and the score, under the spec's score field
 * name) a {@link NumericSummary}, per categorical feature its counts, and — from a profile with a
 * label column — the labels under {@link DriftResult#LABEL_FEATURE}: a classifier's counts per
 * class {@code "0"}/{@code "1"} (see {@link LabelClasses}), a regressor's numeric summary. Built from
 * a profile, or from an earlier window of the stream (previous or pinned; those have no labels).
 *
 * @param referenceId recorded in every result computed against it
 * @param rows per feature, the reference's rows (values plus missing cells), for the data-quality
 *     checks
 * @param constraints per feature, what the data-quality checks expect: the profile's constraints
 *     (or, from a window or an older profile, those {@link Constraints#suggest} gives), with the
 *     spec's {@code constraints} replacing them key by key
 * @param calibration the profile's calibration of the score, for estimated performance; null for
 *     window baselines, profiles without one and specs that turn estimation off
 * @param classCalibrations a multiclass classifier's calibration of each class (in the order of the
 *     spec's {@code classes}), for estimated performance; null as {@code calibration} is
 */
public record Baseline(
    String referenceId,
    Map<String, NumericSummary> numeric,
    Map<String, Map<String, Long>> categorical,
    Map<String, Long> counts,
    ScoreCalibration calibration,
    Map<String, Long> rows,
    Map<String, Constraints> constraints,
    PcaModel pca,
    List<ScoreCalibration> classCalibrations) implements Serializable {

  public static Baseline fromProfile(BaselineFile profile, MonitorSpec spec) {
    Map<String, NumericSummary> numeric = new HashMap<>();
    Map<String, Map<String, Long>> categorical = new HashMap<>();
    Map<String, Long> counts = new HashMap<>();
    Map<String, Long> rows = new HashMap<>();
    Map<String, Constraints> constraints = new HashMap<>();
    for (FeatureSpec f : spec.features()) {
      FeatureBaseline fp = profile.features().get(f.name());
      if (fp == null) {
        continue;
      }
      counts.put(f.name(), fp.count());
      quality(f, fp, fp.constraintsOrSuggested(), rows, constraints);
      if (fp.numeric() != null) {
        numeric.put(f.name(), fp.numeric());
      } else if (fp.categories() != null) {
        categorical.put(f.name(), fp.categories());
      }
    }
    if (profile.score() != null && profile.score().numeric() != null) {
      numeric.put(spec.fields().score(), profile.score().numeric());
      counts.put(spec.fields().score(), profile.score().count());
    }
    FeatureBaseline label = profile.label();
    if (label != null && label.numeric() != null && spec.task() == Task.REGRESSION) {
      numeric.put(DriftResult.LABEL_FEATURE, label.numeric());
      counts.put(DriftResult.LABEL_FEATURE, label.count());
    } else if (label != null && label.categories() != null && spec.task() != Task.REGRESSION) {
      Map<String, Long> classes = spec.task() == Task.MULTICLASS_CLASSIFICATION
          ? label.categories() : LabelClasses.normalize(label.categories());
      if (classes != null) {
        categorical.put(DriftResult.LABEL_FEATURE, classes);
        counts.put(DriftResult.LABEL_FEATURE, label.count());
      }
    }
    return new Baseline(profile.profileId(), numeric, categorical, counts,
        spec.estimation().enabled() ? profile.calibration() : null, rows, constraints,
        spec.pca().enabled() ? profile.pca() : null, classCalibrations(profile, spec));
  }

  /** The profile's class calibrations when the spec estimates a multiclass classifier's performance and they fit its classes. */
  private static List<ScoreCalibration> classCalibrations(BaselineFile profile, MonitorSpec spec) {
    List<ScoreCalibration> c = profile.classCalibrations();
    return spec.estimation().enabled() && spec.task() == Task.MULTICLASS_CLASSIFICATION && c != null
        && c.size() == spec.classes().size() ? List.copyOf(c) : null;
  }

  /** The rows and resolved constraints of feature {@code f} of the reference {@code fp}. */
  private static void quality(FeatureSpec f, FeatureBaseline fp, Constraints suggested, Map<String, Long> rows,
      Map<String, Constraints> constraints) {
    rows.put(f.name(), fp.count() + fp.missing());
    constraints.put(f.name(), f.resolveConstraints(suggested, fp.numeric()));
  }

  /** A baseline from a window of the stream; slots without values are left out. */
  public static Baseline fromWindow(WindowSummary window, MonitorSpec spec, String referenceId) {
    int[] binCounts = binCounts(spec);
    Map<String, NumericSummary> numeric = new HashMap<>();
    Map<String, Map<String, Long>> categorical = new HashMap<>();
    Map<String, Long> counts = new HashMap<>();
    Map<String, Long> rows = new HashMap<>();
    Map<String, Constraints> constraints = new HashMap<>();
    List<FeatureSpec> features = spec.features();
    for (int i = 0; i <= features.size(); i++) {
      String name = i == features.size() ? spec.fields().score() : features.get(i).name();
      if (window.isNumeric(i)) {
        NumericSample sample = window.numeric(i);
        if (sample != null) {
          numeric.put(name, summarize(sample, binCounts));
          counts.put(name, sample.n());
        }
      } else if (!window.categories(i).isEmpty()) {
        categorical.put(name, Map.copyOf(window.categories(i)));
        counts.put(name, window.categories(i).values().stream().mapToLong(Long::longValue).sum());
      }
      if (i < features.size()) {
        FeatureBaseline fp = window.isNumeric(i)
            ? new FeatureBaseline(FeatureType.NUMERIC.id(), counts.getOrDefault(name, 0L), window.missing(i),
                numeric.get(name), null)
            : new FeatureBaseline(FeatureType.CATEGORICAL.id(), counts.getOrDefault(name, 0L), window.missing(i), null,
                categorical.getOrDefault(name, Map.of()));
        quality(features.get(i), fp, Constraints.suggest(fp), rows, constraints);
      }
    }
    return new Baseline(referenceId, numeric, categorical, counts, null, rows, constraints, null, null);
  }

  private static int[] binCounts(MonitorSpec spec) {
    return spec.binCounts();
  }

  /** A reference summary of a window sample: exact where the values are known, from buckets otherwise. */
  static NumericSummary summarize(NumericSample sample, int[] binCounts) {
    if (sample.isExact() && sample.n() <= NumericSummary.EXACT_LIMIT) {
      return BaselineBuilder.summarize(sample.values(), binCounts);
    }
    return BaselineBuilder.summarize(sample.buckets(), binCounts);
  }
}
