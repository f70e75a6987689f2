package dev.driftline.core.features;

/**
 * One decoded raw event of a view: the entity, the event time and the fields its features read.
 *
 * @param timestamp event time, epoch millis
 * @param numbers the values of {@link FeatureView#numericFields()}, in that order, all finite
 * @param texts the values of {@link FeatureView#textFields()} as text, in that order
 */
public record FeatureEvent(String entity, long timestamp, double[] numbers, String[] texts) {}
