package dev.driftline.core.estimation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;

/**
 * Realized minus estimated, per metric, once a window has labels: positive when the model did
 * better than estimated. A metric is null when either side lacks it (no AUC with one class).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EstimationError(Double accuracy, Double precision, Double recall, Double f1, Double auc, Double macroF1)
    implements Serializable {

  /** A binary classifier's error (no macro F1). */
  public EstimationError(Double accuracy, Double precision, Double recall, Double f1, Double auc) {
    this(accuracy, precision, recall, f1, auc, null);
  }

  /** Realized {@code (accuracy, precision, recall, f1, auc)} (each may be null) minus {@code e}. */
  public static EstimationError of(Double accuracy, Double precision, Double recall, Double f1, Double auc,
      PerformanceEstimate e) {
    return new EstimationError(minus(accuracy, e.accuracy()), minus(precision, e.precision()),
        minus(recall, e.recall()), minus(f1, e.f1()), minus(auc, e.auc()));
  }

  /** Realized {@code accuracy} and {@code macroF1} (each may be null) minus a multiclass classifier's {@code e}. */
  public static EstimationError of(Double accuracy, Double macroF1, MulticlassPerformanceEstimate e) {
    return new EstimationError(minus(accuracy, e.accuracy()), null, null, null, null, minus(macroF1, e.macroF1()));
  }

  private static Double minus(Double realized, EstimatedMetric estimated) {
    return realized == null || estimated == null ? null : realized - estimated.value();
  }
}
