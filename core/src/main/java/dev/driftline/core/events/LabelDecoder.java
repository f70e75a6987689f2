package dev.driftline.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.spec.FieldNames;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.Task;

/**
 * Decodes a label record (JSON): model id, prediction id, the time the label became known, and
 * the label — 0/1 (or true/false, "0"/"1") for classifiers, a finite number for regressors.
 */
public final class LabelDecoder implements Decoded.Decoder<Label> {
  private static final long serialVersionUID = 1L;
  private final ModelRegistry models;

  public LabelDecoder(ModelRegistry models) {
    this.models = models;
  }

  @Override
  public Decoded<Label> decode(byte[] bytes) {
    String[] error = new String[1];
    JsonNode n = EventJson.object(bytes, error);
    if (n == null) {
      return Decoded.error(error[0]);
    }
    MonitorSpec spec = EventJson.spec(n, models);
    if (spec == null) {
      return EventJson.unknownModel(n, models);
    }
    FieldNames f = spec.fields();
    String id = EventJson.string(n, f.predictionId());
    if (id == null) {
      return Decoded.error(f.predictionId() + ": expected a non-empty string, got " + EventJson.describe(n.get(f.predictionId())));
    }
    long ts = EventTimes.parse(n.get(f.timestamp()));
    if (ts < 0) {
      return Decoded.error(f.timestamp() + ": expected epoch millis or an ISO-8601 time, got " + EventJson.describe(n.get(f.timestamp())));
    }
    JsonNode v = n.get(f.label());
    double value;
    if (spec.task() == Task.BINARY_CLASSIFICATION) {
      value = binary(v);
      if (Double.isNaN(value)) {
        return Decoded.error(f.label() + ": expected 0 or 1 (or true/false), got " + EventJson.describe(v));
      }
    } else {
      if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
        return Decoded.error(f.label() + ": expected a finite number, got " + EventJson.describe(v));
      }
      value = v.asDouble();
    }
    return Decoded.ok(new Label(spec.modelId(), id, ts, value));
  }

  private static double binary(JsonNode v) {
    if (v == null) {
      return Double.NaN;
    }
    if (v.isBoolean()) {
      return v.asBoolean() ? 1 : 0;
    }
    if (v.isNumber()) {
      double d = v.asDouble();
      return d == 0 || d == 1 ? d : Double.NaN;
    }
    if (v.isTextual()) {
      switch (v.asText().trim().toLowerCase(java.util.Locale.ROOT)) {
        case "0":
        case "false":
          return 0;
        case "1":
        case "true":
          return 1;
        default:
          return Double.NaN;
      }
    }
    return Double.NaN;
  }
}
