package dev.driftline.core.estimation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;

/**
 * A multiclass classifier's window performance estimated from its class probabilities alone (no
 * labels), by {@link MulticlassEstimator}.
 *
 * @param calibration the calibration method applied to each class ({@code isotonic} or {@code platt})
 * @param referenceId the profile whose class calibrations were applied
 * @param predictions predictions with class probabilities in the window
 * @param confidence of every interval (0.95)
 * @param exact true when every row of class probabilities was known exactly (the window's
 *     {@link ClassScoreSummary} was not coarsened)
 * @param accuracy estimated accuracy with its interval
 * @param macroF1 estimated macro F1 with its interval
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MulticlassPerformanceEstimate(
    String calibration,
    String referenceId,
    long predictions,
    double confidence,
    boolean exact,
    EstimatedMetric accuracy,
    EstimatedMetric macroF1) implements WindowEstimate, Serializable {

  /** The estimate {@code e}, made with {@code calibration} of the profile {@code referenceId}. */
  public static MulticlassPerformanceEstimate of(MulticlassEstimator.Estimate e, String calibration, String referenceId) {
    return new MulticlassPerformanceEstimate(calibration, referenceId, e.predictions(), 0.95, e.exact(), e.accuracy(),
        e.macroF1());
  }
}
