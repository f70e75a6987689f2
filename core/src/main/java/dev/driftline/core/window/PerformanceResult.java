package dev.driftline.core.window;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.driftline.core.estimation.EstimationError;
import dev.driftline.core.estimation.PerformanceEstimate;
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
 * @param estimated true for the estimate of a window before labels ({@link #estimated(String, String,
 *     long, long, PerformanceEstimate, long)}): its accuracy, precision, recall, F1 and AUC are the
 *     estimates, {@code labelled} is 0 and its id ends in {@code |estimated}; false for the realized
 *     performance on labels
 * @param estimate the window's estimate with its intervals, in both kinds of document (null when
 *     the window has none: no calibration, estimation off, or not yet computed)
 * @param estimationError realized minus estimated, in a realized document with labels and an estimate
 * @param labelsUntil a realized document's update point, exclusive (ISO-8601): it holds exactly the
 *     window's labels with event time before it; the window's end for its first emission, then a
 *     step of {@code window.slide} after another. Orders a window's updates in event time. Null in
 *     an estimated document.
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
    String computedAt,
    boolean estimated,
    PerformanceEstimate estimate,
    EstimationError estimationError,
    String labelsUntil) {

  /** A result without an update point (an estimate, or a realized result before its point is set). */
  public PerformanceResult(String modelId, String segment, String windowStart, String windowEnd, long predictions,
      long labelled, double labelCoverage, boolean exact, Double accuracy, Double precision, Double recall, Double f1,
      Double auc, Double aucErrorBound, Double logLoss, Double brier, Double positiveRate, Double mae, Double rmse,
      String computedAt, boolean estimated, PerformanceEstimate estimate, EstimationError estimationError) {
    this(modelId, segment, windowStart, windowEnd, predictions, labelled, labelCoverage, exact, accuracy, precision,
        recall, f1, auc, aucErrorBound, logLoss, brier, positiveRate, mae, rmse, computedAt, estimated, estimate,
        estimationError, null);
  }

  /** A realized result without an estimate. */
  public PerformanceResult(String modelId, String segment, String windowStart, String windowEnd, long predictions,
      long labelled, double labelCoverage, boolean exact, Double accuracy, Double precision, Double recall, Double f1,
      Double auc, Double aucErrorBound, Double logLoss, Double brier, Double positiveRate, Double mae, Double rmse,
      String computedAt) {
    this(modelId, segment, windowStart, windowEnd, predictions, labelled, labelCoverage, exact, accuracy, precision,
        recall, f1, auc, aucErrorBound, logLoss, brier, positiveRate, mae, rmse, computedAt, false, null, null);
  }

  /**
   * The estimated performance of a window before its labels: the estimates in the metric fields
   * (and the expected positive rate), no labels, and the estimate with its intervals.
   */
  public static PerformanceResult estimated(String modelId, String segment, long windowStart, long windowEnd,
      PerformanceEstimate e, long computedAt) {
    return new PerformanceResult(modelId, segment, Instant.ofEpochMilli(windowStart).toString(),
        Instant.ofEpochMilli(windowEnd).toString(), e.predictions(), 0, 0.0, e.exact(),
        e.accuracy().value(), e.precision().value(), e.recall().value(), e.f1().value(),
        e.auc() == null ? null : e.auc().value(), null, null, null, e.expectedPositiveRate(), null, null,
        Instant.ofEpochMilli(computedAt).toString(), true, e, null);
  }

  /** This realized result with the window's estimate beside it and, when it has labels, the estimation error. */
  public PerformanceResult withEstimate(PerformanceEstimate e) {
    EstimationError error = accuracy == null ? null : EstimationError.of(accuracy, precision, recall, f1, auc, e);
    return new PerformanceResult(modelId, segment, windowStart, windowEnd, predictions, labelled, labelCoverage, exact,
        accuracy, precision, recall, f1, auc, aucErrorBound, logLoss, brier, positiveRate, mae, rmse, computedAt,
        estimated, e, error, labelsUntil);
  }

  /** This result as the update that holds the labels before {@code until} (epoch millis, exclusive). */
  public PerformanceResult withLabelsUntil(long until) {
    return new PerformanceResult(modelId, segment, windowStart, windowEnd, predictions, labelled, labelCoverage, exact,
        accuracy, precision, recall, f1, auc, aucErrorBound, logLoss, brier, positiveRate, mae, rmse, computedAt,
        estimated, estimate, estimationError, Instant.ofEpochMilli(until).toString());
  }

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

  /**
   * Deterministic document id: later versions of the same window overwrite earlier ones; a
   * window's estimate is a document of its own ({@code …|estimated}) beside its realized one.
   */
  @JsonIgnore
  public String id() {
    String id = String.join("|", modelId, segment, windowStart, windowEnd);
    return estimated ? id + "|estimated" : id;
  }
}
