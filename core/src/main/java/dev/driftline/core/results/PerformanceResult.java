package dev.driftline.core.results;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.driftline.core.estimation.EstimationError;
import dev.driftline.core.estimation.MulticlassPerformanceEstimate;
import dev.driftline.core.estimation.PerformanceEstimate;
import dev.driftline.core.estimation.WindowEstimate;
import dev.driftline.core.metrics.ClassificationMetrics;
import dev.driftline.core.metrics.MulticlassMetrics;
import dev.driftline.core.metrics.RegressionMetrics;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.PerformanceMetric;
import dev.driftline.core.window.PerformanceWindow;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Performance of one (model, segment) prediction-time window on the labels known so far. A window
 * is re-emitted, with the same {@link #id()}, as late labels arrive: consumers upsert.
 *
 * @param labelCoverage labelled / predictions
 * @param exact false when the AUC comes from the score histogram of a window with more labelled
 *     classifications than {@link PerformanceWindow#PAIR_LIMIT} (every other metric is exact)
 * @param metrics every {@link PerformanceMetric} the window has, by id (written as fields of the
 *     document: {@code "accuracy": 0.91}); a metric the window does not have (the other task, no
 *     labels, undefined such as the AUC of one class) is absent. Reading a document keeps the
 *     registered metrics and drops other numbers
 * @param aucErrorBound the largest possible difference between {@code auc} and the exact AUC of the
 *     window's pairs: 0 when exact, null when there is no AUC
 * @param estimated true for the estimate of a window before labels ({@link #estimated(String, String,
 *     long, long, PerformanceEstimate, long)}): its accuracy, precision, recall, F1 and AUC are the
 *     estimates, {@code labelled} is 0 and its id ends in {@code |estimated}; false for the realized
 *     performance on labels
 * @param estimate a binary classifier's window estimate with its intervals, in both kinds of
 *     document (null when the window has none: no calibration, estimation off, or not yet computed)
 * @param estimationError realized minus estimated, in a realized document with labels and an estimate
 * @param labelsUntil a realized document's update point, exclusive (ISO-8601): it holds exactly the
 *     window's labels with event time before it; the window's end for its first emission, then a
 *     step of {@code window.slide} after another. Orders a window's updates in event time. Null in
 *     an estimated document.
 * @param classRecall a multiclass classifier's recall of each class, by class name in the spec's
 *     order (0 for a class without labels in the window); null for the other tasks and before labels
 * @param multiclassEstimate a multiclass classifier's window estimate (accuracy and macro F1 with
 *     their intervals), where {@code estimate} is a binary classifier's: its own field, since
 *     {@code estimate} promises the binary metrics (threshold, precision, recall, F1)
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
    @JsonIgnore @JsonAnySetter @JsonDeserialize(contentUsing = NumberOrNull.class) Map<String, Double> metrics,
    Double aucErrorBound,
    Double positiveRate,
    String computedAt,
    boolean estimated,
    PerformanceEstimate estimate,
    EstimationError estimationError,
    String labelsUntil,
    Map<String, Double> classRecall,
    MulticlassPerformanceEstimate multiclassEstimate) {

  public PerformanceResult {
    metrics = registered(metrics);
  }

  /** A result without a multiclass estimate. */
  public PerformanceResult(String modelId, String segment, String windowStart, String windowEnd, long predictions,
      long labelled, double labelCoverage, boolean exact, Map<String, Double> metrics, Double aucErrorBound,
      Double positiveRate, String computedAt, boolean estimated, PerformanceEstimate estimate,
      EstimationError estimationError, String labelsUntil, Map<String, Double> classRecall) {
    this(modelId, segment, windowStart, windowEnd, predictions, labelled, labelCoverage, exact, metrics, aucErrorBound,
        positiveRate, computedAt, estimated, estimate, estimationError, labelsUntil, classRecall, null);
  }

  /** A result without per-class recall (a binary classifier's, a regressor's). */
  public PerformanceResult(String modelId, String segment, String windowStart, String windowEnd, long predictions,
      long labelled, double labelCoverage, boolean exact, Map<String, Double> metrics, Double aucErrorBound,
      Double positiveRate, String computedAt, boolean estimated, PerformanceEstimate estimate,
      EstimationError estimationError, String labelsUntil) {
    this(modelId, segment, windowStart, windowEnd, predictions, labelled, labelCoverage, exact, metrics, aucErrorBound,
        positiveRate, computedAt, estimated, estimate, estimationError, labelsUntil, null);
  }

  /** A result without an update point (an estimate, or a realized result before its point is set). */
  public PerformanceResult(String modelId, String segment, String windowStart, String windowEnd, long predictions,
      long labelled, double labelCoverage, boolean exact, Double accuracy, Double precision, Double recall, Double f1,
      Double auc, Double aucErrorBound, Double logLoss, Double brier, Double positiveRate, Double mae, Double rmse,
      String computedAt, boolean estimated, PerformanceEstimate estimate, EstimationError estimationError) {
    this(modelId, segment, windowStart, windowEnd, predictions, labelled, labelCoverage, exact,
        named(accuracy, precision, recall, f1, auc, logLoss, brier, mae, rmse), aucErrorBound, positiveRate, computedAt,
        estimated, estimate, estimationError, null);
  }

  /** A realized result without an estimate. */
  public PerformanceResult(String modelId, String segment, String windowStart, String windowEnd, long predictions,
      long labelled, double labelCoverage, boolean exact, Double accuracy, Double precision, Double recall, Double f1,
      Double auc, Double aucErrorBound, Double logLoss, Double brier, Double positiveRate, Double mae, Double rmse,
      String computedAt) {
    this(modelId, segment, windowStart, windowEnd, predictions, labelled, labelCoverage, exact, accuracy, precision,
        recall, f1, auc, aucErrorBound, logLoss, brier, positiveRate, mae, rmse, computedAt, false, null, null);
  }

  /** The metrics as fields of the document, in the registry's order. */
  @JsonAnyGetter
  public Map<String, Double> metricFields() {
    return metrics;
  }

  /** The window's {@code m}, or null when it has none. */
  public Double metric(PerformanceMetric m) {
    return metrics.get(m.id());
  }

  public Double accuracy() {
    return metric(PerformanceMetric.ACCURACY);
  }

  public Double precision() {
    return metric(PerformanceMetric.PRECISION);
  }

  public Double recall() {
    return metric(PerformanceMetric.RECALL);
  }

  public Double f1() {
    return metric(PerformanceMetric.F1);
  }

  public Double auc() {
    return metric(PerformanceMetric.AUC);
  }

  public Double logLoss() {
    return metric(PerformanceMetric.LOG_LOSS);
  }

  public Double brier() {
    return metric(PerformanceMetric.BRIER);
  }

  public Double mae() {
    return metric(PerformanceMetric.MAE);
  }

  public Double rmse() {
    return metric(PerformanceMetric.RMSE);
  }

  /** The window's estimate, a binary or a multiclass classifier's, or null. */
  @JsonIgnore
  public WindowEstimate windowEstimate() {
    return estimate != null ? estimate : multiclassEstimate;
  }

  /**
   * The estimated performance of a window before its labels: the estimates in the metric fields
   * (and a binary classifier's expected positive rate), no labels, and the estimate with its intervals.
   */
  public static PerformanceResult estimated(String modelId, String segment, long windowStart, long windowEnd,
      WindowEstimate e, long computedAt) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (PerformanceMetric m : PerformanceMetric.values()) {
      if (m.estimate(e) != null) {
        metrics.put(m.id(), m.estimate(e).value());
      }
    }
    return new PerformanceResult(modelId, segment, Instant.ofEpochMilli(windowStart).toString(),
        Instant.ofEpochMilli(windowEnd).toString(), e.predictions(), 0, 0.0, e.exact(), metrics, null,
        e instanceof PerformanceEstimate b ? b.expectedPositiveRate() : null, Instant.ofEpochMilli(computedAt).toString(),
        true, e instanceof PerformanceEstimate b ? b : null, null, null, null,
        e instanceof MulticlassPerformanceEstimate m ? m : null);
  }

  /** This realized result with the window's estimate beside it and, when it has labels, the estimation error. */
  public PerformanceResult withEstimate(WindowEstimate e) {
    EstimationError error = null;
    if (accuracy() != null) {
      error = e instanceof MulticlassPerformanceEstimate m
          ? EstimationError.of(accuracy(), metric(PerformanceMetric.MACRO_F1), m)
          : EstimationError.of(accuracy(), precision(), recall(), f1(), auc(), (PerformanceEstimate) e);
    }
    return new PerformanceResult(modelId, segment, windowStart, windowEnd, predictions, labelled, labelCoverage, exact,
        metrics, aucErrorBound, positiveRate, computedAt, estimated, e instanceof PerformanceEstimate b ? b : null, error,
        labelsUntil, classRecall, e instanceof MulticlassPerformanceEstimate m ? m : null);
  }

  /** This result as the update that holds the labels before {@code until} (epoch millis, exclusive). */
  public PerformanceResult withLabelsUntil(long until) {
    return new PerformanceResult(modelId, segment, windowStart, windowEnd, predictions, labelled, labelCoverage, exact,
        metrics, aucErrorBound, positiveRate, computedAt, estimated, estimate, estimationError,
        Instant.ofEpochMilli(until).toString(), classRecall, multiclassEstimate);
  }

  public static PerformanceResult of(String modelId, String segment, long windowStart, long windowEnd,
      PerformanceWindow w, ClassificationMetrics c, RegressionMetrics r, MulticlassMetrics mc, List<String> classes,
      long computedAt) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (PerformanceMetric m : PerformanceMetric.values()) {
      Double v = m.compute(c, r, mc);
      if (v != null) {
        metrics.put(m.id(), v);
      }
    }
    Map<String, Double> classRecall = null;
    if (mc != null) {
      classRecall = new LinkedHashMap<>();
      for (int i = 0; i < classes.size(); i++) {
        classRecall.put(classes.get(i), mc.recall()[i]);
      }
    }
    boolean hasAuc = metrics.containsKey(PerformanceMetric.AUC.id()) || metrics.containsKey(PerformanceMetric.MACRO_AUC.id());
    return new PerformanceResult(modelId, segment, Instant.ofEpochMilli(windowStart).toString(),
        Instant.ofEpochMilli(windowEnd).toString(), w.predictions(), w.labelled(),
        Double.isNaN(w.coverage()) ? 0.0 : w.coverage(), w.exact(), metrics,
        hasAuc ? w.aucErrorBound() : null,
        c == null || c.n() == 0 ? null : (double) c.positives() / c.n(),
        Instant.ofEpochMilli(computedAt).toString(), false, null, null, null, classRecall);
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

  private static Map<String, Double> named(Double accuracy, Double precision, Double recall, Double f1, Double auc,
      Double logLoss, Double brier, Double mae, Double rmse) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(PerformanceMetric.ACCURACY.id(), accuracy);
    m.put(PerformanceMetric.PRECISION.id(), precision);
    m.put(PerformanceMetric.RECALL.id(), recall);
    m.put(PerformanceMetric.F1.id(), f1);
    m.put(PerformanceMetric.AUC.id(), auc);
    m.put(PerformanceMetric.LOG_LOSS.id(), logLoss);
    m.put(PerformanceMetric.BRIER.id(), brier);
    m.put(PerformanceMetric.MAE.id(), mae);
    m.put(PerformanceMetric.RMSE.id(), rmse);
    return m;
  }

  /**
   * The registered metrics of {@code given} with a value, in the registry's order; nothing else. A
   * plain map, not an unmodifiable view, so that Flink's Kryo fallback can copy it between tasks.
   */
  private static Map<String, Double> registered(Map<String, Double> given) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (given == null || given.isEmpty()) {
      return out;
    }
    for (PerformanceMetric m : PerformanceMetric.values()) {
      Double v = given.get(m.id());
      if (v != null) {
        out.put(m.id(), v);
      }
    }
    return out;
  }

  /** A field read into {@link #metrics}: its number, or null for anything else (dropped later). */
  public static final class NumberOrNull extends JsonDeserializer<Double> {
    @Override
    public Double deserialize(JsonParser p, DeserializationContext context) throws IOException {
      if (p.currentToken().isNumeric()) {
        return p.getDoubleValue();
      }
      p.skipChildren();
      return null;
    }
  }
}
