package dev.driftline.core.events;

/**
 * One logged prediction, validated against its model's spec. Feature values are positional, in
 * the order of the spec's features, so the record is compact and needs no per-event map.
 *
 * @param timestamp event time, epoch millis
 * @param entityId null when the spec has no entity field or the record had none
 * @param segment null when the spec has no segment field or the record had none
 * @param numeric one slot per spec feature; the value for numeric features, NaN for a missing
 *     (null) value and for categorical features
 * @param categorical one slot per spec feature; the value for categorical features, null for a
 *     missing value and for numeric features
 * @param score probability of the positive class (classifiers) or the predicted value (regressors)
 * @param predictedClass null when absent
 */
public record Prediction(
    String modelId,
    String predictionId,
    long timestamp,
    String entityId,
    String segment,
    double[] numeric,
    String[] categorical,
    double score,
    String predictedClass) {}
