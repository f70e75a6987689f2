package dev.driftline.cli.demo;

import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.drift.methods.PcaReconstructionDriftTest;
import dev.driftline.core.estimation.EstimatedMetric;
import dev.driftline.core.estimation.MulticlassPerformanceEstimate;
import dev.driftline.core.estimation.PerformanceEstimate;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.PerformanceMetric;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.RetrainTrigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What the demo tells as the jobs' records arrive, one line each: a model's window closed with its
 * drifted features (and its multivariate drift and failed data-quality checks), warnings, retrain triggers, new baselines
 * and the estimates of windows before their labels. Takes each output topic's records in the order
 * the topic gives them; a model's drift results arrive in window order (one partition per model).
 * Not thread-safe: one reader feeds it.
 */
final class DemoPrinter {
  private final Consumer<String> lines;
  /** Per model, the windows (their starts) with a drifted feature. */
  private final Map<String, TreeSet<String>> drifted = new TreeMap<>();
  /** Per model, the window whose results are still arriving (its start), and its drifted features so far. */
  private final Map<String, Map.Entry<String, TreeSet<String>>> open = new TreeMap<>();
  /** Per model, the failed data-quality checks ("feature check") of its window in {@link #open}. */
  private final Map<String, TreeSet<String>> openFailedChecks = new TreeMap<>();
  /** Realized whole-model results of multiclass models, as they arrive. */
  private final List<PerformanceResult> multiclass = new ArrayList<>();
  /** Per model, the multivariate result that fired in its window in {@link #open}. */
  private final Map<String, DriftResult> openMultivariate = new TreeMap<>();

  /** @param lines receives each line, without a line end */
  DemoPrinter(Consumer<String> lines) {
    this.lines = lines;
  }

  void drift(DriftResult r) {
    // Label drift comes as labels arrive, after its window's features: not part of "window closed".
    if (!r.segment().equals(DriftResult.ALL_SEGMENTS) || r.isLabel()) {
      return;
    }
    String model = r.modelId();
    var current = open.get(model);
    if (current == null || !current.getKey().equals(r.windowStart())) {
      // A later window has begun: the earlier one is complete.
      if (current != null) {
        printWindow(model, current);
      }
      current = Map.entry(r.windowStart(), new TreeSet<>());
      open.put(model, current);
    }
    // A failed check is not drift: named on its own line, not counted as a drifted window.
    if (r.drift() && r.isQuality()) {
      openFailedChecks.computeIfAbsent(model, k -> new TreeSet<>()).add(r.feature() + " " + r.test());
    } else if (r.drift() && PcaReconstructionDriftTest.FEATURE_TYPE.equals(r.featureType())) {
      // Not a feature: told on its own line, with its band.
      openMultivariate.put(model, r);
      drifted.computeIfAbsent(model, k -> new TreeSet<>()).add(r.windowStart());
    } else if (r.drift()) {
      current.getValue().add(r.feature());
      drifted.computeIfAbsent(model, k -> new TreeSet<>()).add(r.windowStart());
    }
  }

  void alert(Alert a) {
    if (a.severity().equals("warning")) {
      lines.accept("  alert (warning) " + Objects.toString(a.message(), ""));
    }
  }

  void trigger(RetrainTrigger t) {
    lines.accept("  RETRAIN TRIGGER " + t.triggerId() + " " + t.modelId() + " [" + Objects.toString(t.segment(), "") + "]: "
        + String.join("; ", t.reasons() == null ? List.of() : t.reasons()));
  }

  void baseline(BaselineFile p) {
    lines.accept("  new baseline published: " + p.profileId());
  }

  /**
   * Only a whole model's estimate before labels is told as it comes; a multiclass model's realized
   * performance per window once all is read ({@link #finish}).
   */
  void performance(PerformanceResult r) {
    if (isMulticlassWindow(r)) {
      multiclass.add(r);
    }
    if (r.estimated() && r.segment().equals(DriftResult.ALL_SEGMENTS)) {
      MulticlassPerformanceEstimate m = r.multiclassEstimate();
      if (m != null) {
        lines.accept(String.format(Locale.ROOT, "  %s window %s estimated before labels: accuracy %s, macro_f1 %s",
            r.modelId(), hhmm(r.windowStart()), interval(m.accuracy()), interval(m.macroF1())));
        return;
      }
      PerformanceEstimate e = r.estimate();
      lines.accept(String.format(Locale.ROOT, "  %s window %s estimated before labels: accuracy %s, auc %s",
          r.modelId(), hhmm(r.windowStart()), interval(e == null ? null : e.accuracy()), interval(e == null ? null : e.auc())));
    }
  }

  /** The windows still open are complete: tells them, then each multiclass model's windows. */
  void finish() {
    open.forEach(this::printWindow);
    open.clear();
    multiclassWindows(multiclass).forEach((model, windows) -> windows.values().forEach(r ->
        lines.accept(String.format(Locale.ROOT, "  %s window %s on %d labels: macro_f1 %s, accuracy %s, macro_auc %s",
            model, hhmm(r.windowStart()), r.labelled(), number(r.metric(PerformanceMetric.MACRO_F1)),
            number(r.accuracy()), number(r.metric(PerformanceMetric.MACRO_AUC))))));
    multiclass.clear();
  }

  /** A realized whole-model result of a multiclass model (one with a macro F1). */
  static boolean isMulticlassWindow(PerformanceResult r) {
    return !r.estimated() && r.segment().equals(DriftResult.ALL_SEGMENTS) && r.metric(PerformanceMetric.MACRO_F1) != null;
  }

  /**
   * Of {@code results}, per multiclass model, per window start, the realized whole-model result on the
   * most labels (a window is re-emitted as its labels arrive; the last update has them all).
   */
  static Map<String, TreeMap<String, PerformanceResult>> multiclassWindows(List<PerformanceResult> results) {
    Map<String, TreeMap<String, PerformanceResult>> out = new TreeMap<>();
    for (PerformanceResult r : results) {
      if (isMulticlassWindow(r)) {
        out.computeIfAbsent(r.modelId(), k -> new TreeMap<>())
            .merge(r.windowStart(), r, (a, b) -> b.labelled() >= a.labelled() ? b : a);
      }
    }
    return out;
  }

  /** How many (model, window) pairs had a drifted feature (data-quality checks aside). */
  int driftedWindows() {
    return drifted.values().stream().mapToInt(TreeSet::size).sum();
  }

  private void printWindow(String model, Map.Entry<String, TreeSet<String>> window) {
    DriftResult multivariate = openMultivariate.remove(model);
    lines.accept("  " + model + " window " + hhmm(window.getKey()) + " closed: "
        + (!window.getValue().isEmpty() ? "DRIFT in " + String.join(", ", window.getValue())
            : multivariate == null ? "no drift" : "no feature drifted on its own"));
    if (multivariate != null) {
      lines.accept(String.format(Locale.ROOT, "  %s multivariate drift: %s fired in window %s (mean reconstruction error %.3f,"
          + " reference band [%.3f, %.3f])", model, multivariate.test(), hhmm(window.getKey()), multivariate.statistic(),
          multivariate.thresholdLower(), multivariate.thresholdUpper()));
    }
    TreeSet<String> failed = openFailedChecks.remove(model);
    if (failed != null) {
      lines.accept("  " + model + " data quality: " + String.join(", ", failed) + " failed in window " + hhmm(window.getKey()));
    }
  }

  /** {@code 08:40} of {@code 2026-03-02T08:40:00Z}; the whole text when it is not such a time. */
  private static String hhmm(String isoInstant) {
    return isoInstant.length() >= 16 ? isoInstant.substring(11, 16) : isoInstant;
  }

  private static String number(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String interval(EstimatedMetric m) {
    return m == null ? "-" : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", m.value(), m.lower(), m.upper());
  }
}
