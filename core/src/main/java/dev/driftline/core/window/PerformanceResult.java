package dev.driftline.core.window;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.driftline.core.metrics.ClassificationMetrics;
import dev.driftline.core.metrics.RegressionMetrics;
import java.time.Instant;

/**
 * Performance of one (model, segment) prediction-time window on the labels known so far. A window
 * is re-emitted, with the same {@link #id()}, as late labels arrive: consumers upsert.
 *
 * @param labelCoverage labelled / predictions
 * @param exact false when the AUC comes from the score histogram of a window with more labelled
 *     classifications than {@link PerformanceWindow#PAIR_LIMIT} (every other metric is exact)
 * @param auc NaN-free: null when undefined (one class only) or for regressors
 * @param aucErrorBound the largest possible difference between {@code auc} and the exact AUC of the
 *     window's pairs: 0 when exact, null when there is no AUC
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PerformanceResult(
    String modelId,
    String segment,
    String windowStart,
    String windowEnd,
    long predictions,
    long labelled,
    double labelCoverage,
    boolean exact,
    Double accuracy,
    Double precision,
    Double recall,
    Double f1,
    Double auc,
    Double aucErrorBound,
    Double logLoss,
    Double brier,
    Double positiveRate,
    Double mae,
    Double rmse,
    String computedAt) {

  static PerformanceResult of(String modelId, String segment, long windowStart, long windowEnd,
      PerformanceWindow w, ClassificationMetrics c, RegressionMetrics r, long computedAt) {
    return new PerformanceResult(modelId, segment, Instant.ofEpochMilli(windowStart).toString(),
        Instant.ofEpochMilli(windowEnd).toString(), w.predictions(), w.labelled(),
        Double.isNaN(w.coverage()) ? 0.0 : w.coverage(), w.exact(),
        c == null ? null : c.accuracy(), c == null ? null : c.precision(), c == null ? null : c.recall(),
        c == null ? null : c.f1(), c == null || Double.isNaN(c.rocAuc()) ? null : c.rocAuc(),
        c == null || Double.isNaN(c.rocAuc()) ? null : w.aucErrorBound(),
        c == null ? null : c.logLoss(), c == null ? null : c.brier(),
        c == null || c.n() == 0 ? null : (double) c.positives() / c.n(),
        r == null ? null : r.mae(), r == null ? null : r.rmse(),
        Instant.ofEpochMilli(computedAt).toString());
  }

  /** Deterministic document id: later versions of the same window overwrite earlier ones. */
  @JsonIgnore
  public String id() {
    return String.join("|", modelId, segment, windowStart, windowEnd);
  }
}
