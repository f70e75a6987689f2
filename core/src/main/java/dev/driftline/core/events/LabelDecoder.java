package dev.driftline.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.spec.FieldNames;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.Task;

/**
 * Decodes a label record (JSON): model id, prediction id, the time the label became known, and
 * the label — 0/1 (or true/false, "0"/"1") for binary classifiers, one of the spec's {@code classes}
 * for multiclass classifiers (held as the class's index), a finite number for regressors.
 */
public final class LabelDecoder extends EventDecoder<Label> {
  private static final long serialVersionUID = 1L;

  public LabelDecoder(ModelRegistry models) {
    super(models);
  }

  @Override
  Decoded<Label> decode(EventJson.Header header) {
    MonitorSpec spec = header.spec();
    FieldNames f = spec.fields();
    JsonNode v = header.json().get(f.label());
    double value;
    if (spec.task() == Task.MULTICLASS_CLASSIFICATION) {
      String name = v == null || v.isContainerNode() || v.isNull() ? null : v.asText();
      value = name == null ? -1 : spec.classIndex(name);
      if (value < 0) {
        return Decoded.error(f.label() + ": expected one of the classes " + String.join("|", spec.classes()) + ", got "
            + EventJson.describe(v));
      }
    } else if (spec.task() == Task.BINARY_CLASSIFICATION) {
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
    return Decoded.ok(new Label(spec.modelId(), header.predictionId(), header.timestamp(), value));
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
