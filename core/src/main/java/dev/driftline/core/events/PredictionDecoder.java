package dev.driftline.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.FieldNames;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.Task;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a prediction record (JSON) and validates it against its model's spec. A feature value of
 * the wrong type (a string, boolean, object or array for a numeric feature; an object or array for
 * a categorical one, which takes strings, numbers and booleans as categories) does not refuse the
 * prediction: the value is missing and marked as of the wrong type ({@link Prediction}), so the
 * window counts it per feature. A record unusable as a whole is refused with a one-line reason
 * naming the field: malformed JSON, unknown model, missing id or time, a missing feature (a feature
 * present with {@code null} is a missing value, which is allowed), a non-finite number (the tokens
 * {@code NaN} and {@code Infinity} included), a score outside [0, 1] for a binary classifier, class
 * probabilities a multiclass classifier's {@link ClassScores} refuses, an entity,
 * segment or predicted class that is not a scalar, a time outside {@link EventTimes}' plausible
 * range. Fields the spec does not name (extra top-level
 * fields, extra features) are ignored: producers may add them before the spec does. A multiclass
 * prediction's score is the probability of its most probable class, and its predicted class, when
 * the record names none, that class.
 */
public final class PredictionDecoder extends EventDecoder<Prediction> {
  private static final long serialVersionUID = 1L;

  public PredictionDecoder(ModelRegistry models) {
    super(models);
  }

  @Override
  Decoded<Prediction> decode(EventJson.Header header) {
    JsonNode n = header.json();
    MonitorSpec spec = header.spec();
    FieldNames f = spec.fields();
    String id = header.predictionId();
    long ts = header.timestamp();
    JsonNode features = n.get("features");
    if (features == null || !features.isObject()) {
      return Decoded.error("features: expected an object of name to value, got " + EventJson.describe(features));
    }
    List<FeatureSpec> specs = spec.features();
    double[] numeric = new double[specs.size()];
    String[] categorical = new String[specs.size()];
    Arrays.fill(numeric, Double.NaN);
    for (int i = 0; i < specs.size(); i++) {
      FeatureSpec fs = specs.get(i);
      JsonNode v = features.get(fs.name());
      if (v == null) {
        return Decoded.error("features." + fs.name() + ": missing (send null for a missing value)");
      }
      if (v.isNull()) {
        continue;
      }
      if (fs.type() == FeatureType.NUMERIC) {
        if (!v.isNumber()) {
          categorical[i] = Prediction.WRONG_TYPE;
          continue;
        }
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
          return Decoded.error("features." + fs.name() + ": expected a finite number, got " + EventJson.describe(v));
        }
        numeric[i] = d;
      } else {
        if (v.isContainerNode()) {
          numeric[i] = Prediction.WRONG_TYPE_MARK;
          continue;
        }
        String text = EventJson.optionalText(v);
        if (text == null) {
          return Decoded.error("features." + fs.name() + ": expected a category (string), got " + EventJson.describe(v));
        }
        String tooLong = EventJson.tooLong("features." + fs.name(), text);
        if (tooLong != null) {
          return Decoded.error(tooLong);
        }
        categorical[i] = text;
      }
    }
    JsonNode s = n.get(f.score());
    double score;
    double[] classScores = null;
    if (spec.task() == Task.MULTICLASS_CLASSIFICATION) {
      Decoded<double[]> decoded = ClassScores.decode(f.score(), s, spec.classes());
      if (!decoded.isOk()) {
        return Decoded.error(decoded.error());
      }
      classScores = decoded.value();
      score = classScores[ClassScores.argmax(classScores)];
    } else {
      if (s == null || !s.isNumber() || !Double.isFinite(s.asDouble())) {
        return Decoded.error(f.score() + ": expected a finite number, got " + EventJson.describe(s));
      }
      score = s.asDouble();
      if (spec.task() == Task.BINARY_CLASSIFICATION && (score < 0 || score > 1)) {
        return Decoded.error(f.score() + ": expected a probability in [0, 1], got " + EventJson.describe(s));
      }
    }
    for (String optional : new String[] {f.entity(), f.segment(), f.predictedClass()}) {
      String bad = EventJson.badOptionalText(n, optional);
      if (bad != null) {
        return Decoded.error(bad);
      }
    }
    String entity = f.entity() == null ? null : EventJson.optionalText(n.get(f.entity()));
    String segment = f.segment() == null ? null : EventJson.optionalText(n.get(f.segment()));
    String predicted = f.predictedClass() == null ? null : EventJson.optionalText(n.get(f.predictedClass()));
    if (classScores != null && predicted == null) {
      predicted = spec.classes().get(ClassScores.argmax(classScores));
    }
    return Decoded.ok(new Prediction(spec.modelId(), id, ts, entity, segment, numeric, categorical, score, predicted,
        classScores));
  }
}
