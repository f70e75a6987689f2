package dev.driftline.core.features;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftline.core.io.Json;
import dev.driftline.core.events.EventTimes;
import dev.driftline.core.io.Decoded;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decodes a raw event (a JSON object) for one view. The reasons it refuses one name the field:
 * invalid JSON, a missing or empty entity key (or one longer than 512 bytes, the limit of an
 * Elasticsearch id), a missing or implausible event time (see {@link EventTimes}), a missing,
 * non-numeric or non-finite number (the tokens {@code NaN} and {@code Infinity} included), a missing,
 * non-scalar or non-finite value for a distinct count. Fields no feature reads are ignored.
 */
public final class FeatureEventDecoder implements Decoded.Decoder<FeatureEvent> {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = Json.events();
  /** Reads one value in the middle of a document (the rest of it follows). */
  private static final ObjectReader VALUE = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private final String entityField;
  private final String timestampField;
  private final List<String> numericFields;
  private final List<String> textFields;

  public FeatureEventDecoder(FeatureView view) {
    this.entityField = view.entityField();
    this.timestampField = view.timestampField();
    this.numericFields = view.numericFields();
    this.textFields = view.textFields();
  }

  @Override
  public Decoded<FeatureEvent> decode(byte[] bytes) {
    JsonNode n;
    try {
      n = MAPPER.readTree(bytes);
    } catch (IOException e) {
      return Decoded.error(Json.invalid(e));
    }
    if (n == null || !n.isObject()) {
      return Decoded.error("expected a JSON object, got " + (n == null ? "nothing" : n.getNodeType().name().toLowerCase()));
    }
    JsonNode e = n.get(entityField);
    String entity = e != null && (e.isTextual() || e.isIntegralNumber()) ? e.asText().trim() : "";
    if (entity.isEmpty()) {
      return Decoded.error(entityField + ": expected an entity key (a non-empty string or a whole number), got " + describe(e));
    }
    if (entity.getBytes(StandardCharsets.UTF_8).length > 512) {
      return Decoded.error(entityField + ": expected an entity key of at most 512 bytes, got "
          + entity.getBytes(StandardCharsets.UTF_8).length);
    }
    long ts = timestamp(n);
    if (ts < 0) {
      return Decoded.error(EventTimes.reason(timestampField, n.get(timestampField)));
    }
    double[] numbers = new double[numericFields.size()];
    for (int i = 0; i < numbers.length; i++) {
      JsonNode v = n.get(numericFields.get(i));
      if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
        return Decoded.error(numericFields.get(i) + ": expected a finite number, got " + describe(v));
      }
      numbers[i] = v.asDouble();
    }
    String[] texts = new String[textFields.size()];
    for (int i = 0; i < texts.length; i++) {
      JsonNode v = n.get(textFields.get(i));
      if (v == null || !(v.isTextual() || v.isNumber() && Double.isFinite(v.asDouble()) || v.isBoolean())) {
        return Decoded.error(textFields.get(i) + ": expected a string, number or boolean, got " + describe(v));
      }
      texts[i] = v.asText();
    }
    return Decoded.ok(new FeatureEvent(entity, ts, numbers, texts));
  }

  /**
   * The event time of {@code json}, or -1 when it has none that is valid or {@code json} is not one
   * JSON object (as {@link #decode} would find it); never throws. It runs at the source for every
   * record, before {@link #decode} parses the same bytes, so it reads the tokens without building a
   * tree: only the time's own value becomes a node.
   */
  public long timestamp(byte[] json) {
    try (JsonParser p = MAPPER.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return -1;
      }
      JsonNode time = null;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        boolean isTime = p.currentName().equals(timestampField);
        p.nextToken();
        if (isTime) {
          time = VALUE.readTree(p);
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        return -1;
      }
      return EventTimes.parse(time);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private long timestamp(JsonNode n) {
    return EventTimes.parse(n.get(timestampField));
  }

  private static String describe(JsonNode v) {
    return Json.describe(v);
  }
}
