package dev.driftline.core.spec;

import java.io.Serializable;

/**
 * Names of the fields in a model's prediction and label records.
 *
 * @param entity optional (null when absent)
 * @param segment optional (null when absent): results are computed per segment value
 * @param predictedClass optional (null when absent)
 */
public record FieldNames(
    String timestamp,
    String predictionId,
    String entity,
    String segment,
    String score,
    String predictedClass,
    String label) implements Serializable {}
