package dev.driftline.core.window;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.Constraints;
import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.DriftEvaluator;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.drift.methods.PcaReconstructionDriftTest;
import dev.driftline.core.quality.QualityChecks;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.MonitorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Drift of one window of one model against its baseline: every feature and the score. */
public final class WindowDrift {
  private WindowDrift() {}

  /**
   * Runs each feature's tests (numeric tests on the score too) and applies the spec's
   * multiple-testing control across all of them. A feature with no values in the window, or none
   * in the baseline, has no result. Then, for a spec with {@code pca} and a baseline with its model,
   * the window's {@code pca_reconstruction} (outside multiple-testing control: it has no p-value)
   * when every prediction of the window was scored against that baseline's profile (else none:
   * {@link #pcaUntested} says why); then the spec's data-quality checks, if it has any.
   */
  public static List<FeatureDrift> evaluate(MonitorSpec spec, Baseline baseline, WindowSummary window) {
    List<FeatureDrift> results = new ArrayList<>();
    List<FeatureSpec> features = spec.features();
    for (int i = 0; i <= features.size(); i++) {
      String name = i == features.size() ? spec.fields().score() : features.get(i).name();
      Long nRef = baseline.counts().get(name);
      if (window.isNumeric(i)) {
        NumericSample current = window.numeric(i);
        NumericSummary reference = baseline.numeric().get(name);
        if (current != null && reference != null) {
          List<FeatureDrift> r = DriftEvaluator.numeric(name, reference, nRef, current,
              i == features.size() ? spec.numericTests() : spec.testsFor(features.get(i)));
          results.addAll(i == features.size() ? asScore(r) : r);
        }
      } else {
        Map<String, Long> current = window.categories(i);
        Map<String, Long> reference = baseline.categorical().get(name);
        if (!current.isEmpty() && reference != null) {
          results.addAll(DriftEvaluator.categorical(name, reference, current, spec.testsFor(features.get(i))));
        }
      }
    }
    List<FeatureDrift> out = new ArrayList<>(DriftEvaluator.adjust(results, spec.multipleTesting()));
    WindowSummary.ReconstructionErrors errors = window.reconstruction();
    if (baseline.pca() != null && errors != null && window.count() > 0 && pcaUntested(baseline, window) == null) {
      out.add(PcaReconstructionDriftTest.evaluate(baseline.pca(), errors.count(), errors.mean()));
    }
    out.addAll(quality(spec, baseline, window));
    return out;
  }

  /**
   * Why the window's reconstruction errors cannot be tested against {@code baseline}, or null when
   * they can or there is nothing to test (no model in the baseline, a spec without {@code pca}, an
   * empty window). A window is tested only when every one of its predictions was scored with the
   * model of the baseline's own profile, so a window is never tested against a profile other than
   * the one that scored it: when a new profile arrives during a window, or before the model
   * reached every subtask, that window has no {@code pca_reconstruction} result.
   */
  public static String pcaUntested(Baseline baseline, WindowSummary window) {
    WindowSummary.ReconstructionErrors errors = window.reconstruction();
    if (baseline.pca() == null || errors == null || window.count() == 0) {
      return null;
    }
    if (errors.count() < window.count()) {
      return errors.count() + " of its " + window.count() + " predictions were scored (the rest arrived before a pca"
          + " model of the profile did)";
    }
    if (WindowSummary.ReconstructionErrors.MIXED.equals(errors.profileId())) {
      return "its predictions were scored against more than one profile";
    }
    if (errors.profileId() == null) {
      return "its summary does not record the profile its predictions were scored against";
    }
    if (!baseline.referenceId().equals(errors.profileId())) {
      return "its predictions were scored against profile " + errors.profileId() + ", expected "
          + baseline.referenceId();
    }
    return null;
  }

  /**
   * The spec's data-quality checks on every feature of their types, after the drift results and
   * outside multiple-testing control; a check with nothing to read on a feature has no result.
   */
  static List<FeatureDrift> quality(MonitorSpec spec, Baseline baseline, WindowSummary window) {
    List<FeatureDrift> out = new ArrayList<>();
    if (spec.dataQuality().isEmpty()) {
      return out;
    }
    List<FeatureSpec> features = spec.features();
    for (int i = 0; i < features.size(); i++) {
      FeatureSpec f = features.get(i);
      out.addAll(QualityChecks.run(spec.dataQuality(), f, window.quality(i),
          baseline.constraints().getOrDefault(f.name(), Constraints.NONE), baseline.rows().getOrDefault(f.name(), 0L)));
    }
    return out;
  }

  /** Score results are typed {@code score} so that dashboards can tell them from features. */
  private static List<FeatureDrift> asScore(List<FeatureDrift> results) {
    return results.stream().map(r -> r.withFeatureType("score")).toList();
  }
}
