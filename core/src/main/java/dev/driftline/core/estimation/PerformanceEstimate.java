package dev.driftline.core.estimation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;

/**
 * A window's classification performance estimated from its scores alone (no labels), by
 * {@link PerformanceEstimator}.
 *
 * @param calibration the calibration method applied ({@code isotonic} or {@code platt})
 * @param referenceId the profile whose calibration was applied
 * @param predictions scores in the window
 * @param threshold the spec's classification threshold (predicted positive when {@code score >= threshold})
 * @param confidence of every interval (0.95)
 * @param exact true when every score was known exactly (the window's score histogram was not coarsened)
 * @param expectedPositiveRate mean calibrated probability: the expected share of positive labels
 * @param auc null when the calibrated probabilities are all 0 or all 1 (one class expected)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PerformanceEstimate(
    String calibration,
    String referenceId,
    long predictions,
    double threshold,
    double confidence,
    boolean exact,
    double expectedPositiveRate,
    EstimatedMetric accuracy,
    EstimatedMetric precision,
    EstimatedMetric recall,
    EstimatedMetric f1,
    EstimatedMetric auc) implements WindowEstimate, Serializable {}
