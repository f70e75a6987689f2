package dev.driftline.core.events;

/**
 * The ground truth for one prediction, known later.
 *
 * @param timestamp when the label became known, epoch millis
 * @param value 0 or 1 for binary classifiers, the index of the class in the spec's {@code classes}
 *     for multiclass classifiers, the actual value for regressors
 */
public record Label(String modelId, String predictionId, long timestamp, double value) {}
