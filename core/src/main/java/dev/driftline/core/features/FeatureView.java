package dev.driftline.core.features;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * A validated feature view: where its events come from, how to read them, and the features
 * computed per entity. Immutable and serializable (operators carry it). Built by
 * {@link FeatureViewParser}.
 *
 * @param name lowercase, used in the log topic {@code features.<name>} and the index {@code driftline-features-<name>}
 * @param topic the Kafka topic of the raw events
 * @param entityField the event field holding the entity key (a string or a whole number)
 * @param timestampField the event field holding the event time (epoch millis or ISO-8601)
 * @param maxOutOfOrderness how far behind the newest event time an event may arrive and still count
 * @param idleTimeout a source partition without events for this long does not hold the watermark back
 * @param entityTtl an entity without events for this long of event time is forgotten (at least the longest window)
 * @param numericFields the fields that must be numbers, in the order of {@link FeatureEvent#numbers()}
 * @param textFields the fields read as text (distinct counts), in the order of {@link FeatureEvent#texts()}
 */
public record FeatureView(String name, String topic, String entityField, String timestampField,
    Duration maxOutOfOrderness, Duration idleTimeout, Duration entityTtl, List<FeatureDef> features,
    List<String> numericFields, List<String> textFields) implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String LOG_TOPIC_PREFIX = "features.";
  public static final String INDEX_PREFIX = "driftline-features-";

  public FeatureView {
    features = List.copyOf(features);
    numericFields = List.copyOf(numericFields);
    textFields = List.copyOf(textFields);
  }

  /** The compacted Kafka topic of this view's feature records (the offline log). */
  public String logTopic() {
    return logTopic(name);
  }

  public static String logTopic(String view) {
    return LOG_TOPIC_PREFIX + view;
  }

  /** The Elasticsearch index of this view's latest values per entity (the online store). */
  public String index() {
    return index(name);
  }

  public static String index(String view) {
    return INDEX_PREFIX + view;
  }

  public List<String> featureNames() {
    return features.stream().map(FeatureDef::name).toList();
  }
}
