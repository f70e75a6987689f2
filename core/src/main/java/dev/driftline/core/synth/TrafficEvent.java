package dev.driftline.core.synth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;

/**
 * One generated record: a prediction or a label, as the JSON object a model server would emit.
 * The body's keys are the spec's field names ({@code model_id} and {@code features} are fixed).
 * The body is mutable as all Jackson nodes are; do not change it.
 *
 * @param ts event time, epoch millis (also in the body under the spec's timestamp field)
 * @param key the model id, the Kafka record key
 */
public record TrafficEvent(Type type, long ts, String key, ObjectNode body) {

  /** Which stream the event belongs to. */
  public enum Type { PREDICTION, LABEL }

  /** The body as one line of compact JSON; the same event always gives the same bytes. */
  public String json() {
    try {
      return Json.mapper().writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a generated event", e);
    }
  }
}
