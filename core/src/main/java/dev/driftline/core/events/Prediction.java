package dev.driftline.core.events;

import dev.driftline.core.spec.FeatureType;

/**
 * One logged prediction, validated against its model's spec. Feature values are positional, in
 * the order of the spec's features, so the record is compact and needs no per-event map.
 *
 * <p>A feature value of the wrong type (a string for a numeric feature, an object for a
 * categorical one) is missing, and marked in the slot of the other type, which the feature does
 * not use otherwise: the state layout of a prediction stays what it was, and a reader that looks
 * only at its feature's own slot sees a missing value. {@link #wrongType(int, FeatureType)} reads
 * the mark.
 *
 * @param timestamp event time, epoch millis
 * @param entityId null when the spec has no entity field or the record had none
 * @param segment null when the spec has no segment field or the record had none
 * @param numeric one slot per spec feature; the value for numeric features, NaN for a missing
 *     (null) value and for categorical features, {@link #WRONG_TYPE_MARK} for a categorical
 *     feature whose value had the wrong type
 * @param categorical one slot per spec feature; the value for categorical features, null for a
 *     missing value and for numeric features, {@link #WRONG_TYPE} for a numeric feature whose value
 *     had the wrong type
 * @param score probability of the positive class (binary classifiers), of the most probable class
 *     (multiclass classifiers) or the predicted value (regressors)
 * @param predictedClass null when absent
 * @param classScores a multiclass classifier's probability of each class, in the order of the
 *     spec's {@code classes}, summing to 1; null for the other tasks
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
    String predictedClass,
    double[] classScores) {

  /** A prediction of a binary classifier or a regressor (no class probabilities). */
  public Prediction(String modelId, String predictionId, long timestamp, String entityId, String segment,
      double[] numeric, String[] categorical, double score, String predictedClass) {
    this(modelId, predictionId, timestamp, entityId, segment, numeric, categorical, score, predictedClass, null);
  }

  /** This prediction as counted for {@code segment}. */
  public Prediction inSegment(String segment) {
    return new Prediction(modelId, predictionId, timestamp, entityId, segment, numeric, categorical, score,
        predictedClass, classScores);
  }

  /** In a numeric feature's {@code categorical} slot: its value had the wrong type. */
  public static final String WRONG_TYPE = "\u0000wrong type";

  /** In a categorical feature's {@code numeric} slot: its value had the wrong type. */
  public static final double WRONG_TYPE_MARK = 1.0;

  /** Whether feature {@code i}, of {@code type}, had a value of the wrong type (it is then missing). */
  public boolean wrongType(int i, FeatureType type) {
    return type == FeatureType.NUMERIC ? WRONG_TYPE.equals(categorical[i]) : !Double.isNaN(numeric[i]);
  }
}
