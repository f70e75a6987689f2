package dev.driftline.core.estimation;

/**
 * A window's performance estimated before labels: a binary classifier's ({@link
 * PerformanceEstimate}) or a multiclass classifier's ({@link MulticlassPerformanceEstimate}). The
 * performance metric registry reads each estimated metric from it.
 */
public sealed interface WindowEstimate permits PerformanceEstimate, MulticlassPerformanceEstimate {
  /** The calibration method applied ({@code isotonic} or {@code platt}). */
  String calibration();

  /** The profile whose calibration was applied. */
  String referenceId();

  /** Predictions in the window. */
  long predictions();

  /** False when the window's scores were coarsened before the estimate. */
  boolean exact();

  /** Estimated accuracy with its interval. */
  EstimatedMetric accuracy();
}
