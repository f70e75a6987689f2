package dev.driftline.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftline.core.io.Json;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.spec.FieldNames;
import dev.driftline.core.spec.MonitorSpec;
import java.io.IOException;

/** Shared first steps of decoding an event: JSON object, known model, id, time. */
final class EventJson {
  private static final ObjectMapper MAPPER = Json.events();
  /**
   * The longest text an event may carry in an id, an entity, a segment, a class or a category. Each
   * such text is copied into results, state keys and labelled predictions; without a bound one valid
   * record of a megabyte could make an output record larger than Kafka accepts, and stop the job.
   */
  static final int MAX_TEXT_CHARS = 1024;

  private EventJson() {}

  /** What every event has: its JSON, its model's spec, its prediction id and its time. */
  record Header(JsonNode json, MonitorSpec spec, String predictionId, long timestamp) {}

  /** The header of an event, or the reason it has none. */
  static Decoded<Header> header(byte[] bytes, ModelRegistry models) {
    String[] error = new String[1];
    JsonNode n = object(bytes, error);
    if (n == null) {
      return Decoded.error(error[0]);
    }
    MonitorSpec spec = spec(n, models);
    if (spec == null) {
      return unknownModel(n, models);
    }
    FieldNames f = spec.fields();
    String id = string(n, f.predictionId());
    if (id == null) {
      return Decoded.error(f.predictionId() + ": expected a non-empty string, got " + describe(n.get(f.predictionId())));
    }
    String idTooLong = tooLong(f.predictionId(), id);
    if (idTooLong != null) {
      return Decoded.error(idTooLong);
    }
    long ts = EventTimes.parse(n.get(f.timestamp()));
    if (ts < 0) {
      return Decoded.error(EventTimes.reason(f.timestamp(), n.get(f.timestamp())));
    }
    return Decoded.ok(new Header(n, spec, id, ts));
  }

  /** The parsed object, or null with {@code error[0]} set. */
  static JsonNode object(byte[] bytes, String[] error) {
    JsonNode n;
    try {
      n = MAPPER.readTree(bytes);
    } catch (IOException e) {
      error[0] = Json.invalid(e);
      return null;
    }
    if (n == null || !n.isObject()) {
      error[0] = "expected a JSON object, got " + (n == null ? "nothing" : n.getNodeType().name().toLowerCase());
      return null;
    }
    return n;
  }

  static <T> Decoded<T> unknownModel(JsonNode n, ModelRegistry models) {
    JsonNode id = n.get("model_id");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      return Decoded.error("model_id: expected a non-empty string, got " + describe(id));
    }
    return Decoded.error("model_id: unknown model \"" + id.asText() + "\"; this job monitors " + models.known());
  }

  static MonitorSpec spec(JsonNode n, ModelRegistry models) {
    JsonNode id = n.get("model_id");
    return id != null && id.isTextual() ? models.get(id.asText()) : null;
  }

  /** A non-empty string field, or null. */
  static String string(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
  }

  /** An optional text field: strings as they are, finite numbers and booleans as their text, else null. */
  static String optionalText(JsonNode v) {
    return v != null && (v.isTextual() || finite(v) || v.isBoolean()) ? v.asText() : null;
  }

  /**
   * The reason an optional text field (entity, segment, predicted class) has an unusable value, or
   * null when it is usable or absent: an object, an array or a non-finite number would otherwise
   * be read as "absent" and the record counted where it does not belong.
   */
  static String badOptionalText(JsonNode n, String field) {
    if (field == null) {
      return null;
    }
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    String text = optionalText(v);
    return text == null ? field + ": expected a string, got " + describe(v) : tooLong(field, text);
  }

  /** The reason {@code text} of {@code field} is longer than {@link #MAX_TEXT_CHARS}, or null. */
  static String tooLong(String field, String text) {
    return text.length() <= MAX_TEXT_CHARS ? null
        : field + ": expected at most " + MAX_TEXT_CHARS + " characters, got " + text.length();
  }

  static boolean finite(JsonNode v) {
    return v.isNumber() && Double.isFinite(v.asDouble());
  }

  static String describe(JsonNode v) {
    return Json.describe(v);
  }
}
