package dev.driftline.jobs.driftdetection.operators;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import java.util.List;

/**
 * The JSON of a labelled prediction on the {@code labelled-predictions} topic, the training data
 * trainers pull: the prediction as it was logged (features by name, score) plus its label. A
 * multiclass prediction adds its class probabilities ({@code scores}, by class name) and its
 * label's class name ({@code label_class}; {@code label} is the class's index, as the schema's
 * version 1 keeps it a number).
 */
public final class LabelledJson {
  private LabelledJson() {}

  /** Written with a streaming generator (no tree per record): one of these goes out per labelled prediction. */
  public static byte[] toJson(LabelJoinFunction.LabelledPrediction lp, ModelRegistry models) {
    Prediction p = lp.prediction();
    MonitorSpec spec = models.get(p.modelId());
    List<FeatureSpec> specs = spec.features();
    ByteArrayBuilder bytes = new ByteArrayBuilder(512);
    try (JsonGenerator g = Json.mapper().getFactory().createGenerator(bytes)) {
      g.writeStartObject();
      g.writeStringField("model_id", p.modelId());
      if (p.segment() != null) {
        g.writeStringField("segment", p.segment());
      }
      g.writeStringField("prediction_id", p.predictionId());
      g.writeNumberField("ts", p.timestamp());
      g.writeObjectFieldStart("features");
      for (int i = 0; i < specs.size(); i++) {
        String name = specs.get(i).name();
        if (specs.get(i).type() != FeatureType.NUMERIC) {
          g.writeStringField(name, p.categorical()[i]);
        } else if (Double.isNaN(p.numeric()[i])) {
          g.writeNullField(name);
        } else {
          g.writeNumberField(name, p.numeric()[i]);
        }
      }
      g.writeEndObject();
      g.writeNumberField("score", p.score());
      g.writeNumberField("label", lp.label());
      if (p.classScores() != null) {
        List<String> classes = spec.classes();
        g.writeObjectFieldStart("scores");
        for (int c = 0; c < classes.size(); c++) {
          g.writeNumberField(classes.get(c), p.classScores()[c]);
        }
        g.writeEndObject();
        g.writeStringField("label_class", classes.get((int) lp.label()));
      }
      g.writeNumberField("label_ts", lp.labelTimestamp());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
