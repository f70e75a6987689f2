package dev.driftline.core.features;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.ByteSink;
import dev.driftline.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The features of one entity as of one instant: what the job writes to the log topic and the
 * online index. JSON (snake_case):
 * {@code {"view":"card_transactions","entity":"card-17","as_of":1772409600000,"computed_at":1772409631000,
 * "freshness_ms":31000,"features":{"txn_count_1h":3,"amount_mean_7d":41.5,"seconds_since_last_txn":null}}}.
 *
 * @param asOf event time of the newest event included, epoch millis
 * @param computedAt wall-clock time the record was computed, epoch millis
 * @param features values by feature name in the view's order; null = missing
 */
public record FeatureRecord(String view, String entity, long asOf, long computedAt, Map<String, Double> features) {
  public FeatureRecord {
    features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
  }

  /** {@code computed_at − as_of}: how far the record lags behind the event time it describes. */
  public long freshnessMs() {
    return computedAt - asOf;
  }

  /** The record as JSON, written token by token (one per update of every entity: no tree in between). */
  public byte[] toJson() {
    ByteSink bytes = new ByteSink(128 + 48 * features.size());
    try (JsonGenerator g = Json.mapper().getFactory().createGenerator(bytes)) {
      g.writeStartObject();
      g.writeStringField("view", view);
      g.writeStringField("entity", entity);
      g.writeNumberField("as_of", asOf);
      g.writeNumberField("computed_at", computedAt);
      g.writeNumberField("freshness_ms", freshnessMs());
      g.writeObjectFieldStart("features");
      for (Map.Entry<String, Double> e : features.entrySet()) {
        Double v = e.getValue();
        g.writeFieldName(e.getKey());
        if (v == null) {
          g.writeNull();
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
          g.writeNumber(v.longValue()); // counts read as counts
        } else {
          g.writeNumber(v.doubleValue());
        }
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads {@link #toJson()}'s form.
   *
   * @throws IllegalArgumentException with a one-line reason when it is not a feature record
   */
  public static FeatureRecord fromJson(byte[] json) {
    JsonNode n;
    try {
      n = Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a feature record: invalid JSON");
    }
    if (n == null || !n.isObject() || !n.path("view").isTextual() || !n.path("entity").isTextual()
        || !n.path("as_of").isIntegralNumber() || !n.path("computed_at").isIntegralNumber() || !n.path("features").isObject()) {
      throw new IllegalArgumentException("not a feature record: expected view, entity, as_of, computed_at and features");
    }
    Map<String, Double> features = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = n.get("features").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      features.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : null);
    }
    return new FeatureRecord(n.get("view").asText(), n.get("entity").asText(), n.get("as_of").asLong(),
        n.get("computed_at").asLong(), features);
  }
}
