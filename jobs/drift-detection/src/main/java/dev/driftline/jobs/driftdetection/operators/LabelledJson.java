package dev.driftline.jobs.driftdetection.operators;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import java.util.List;

/**
 * The JSON of a labelled prediction on the {@code labelled-predictions} topic, the training data
 * trainers pull: the prediction as it was logged (features by name, score) plus its label.
 */
public final class LabelledJson {
  private LabelledJson() {}

  public static byte[] toJson(LabelJoinFunction.LabelledPrediction lp, ModelRegistry models) {
    Prediction p = lp.prediction();
    MonitorSpec spec = models.get(p.modelId());
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("model_id", p.modelId());
    if (p.segment() != null) {
      n.put("segment", p.segment());
    }
    n.put("prediction_id", p.predictionId());
    n.put("ts", p.timestamp());
    ObjectNode features = n.putObject("features");
    List<FeatureSpec> specs = spec.features();
    for (int i = 0; i < specs.size(); i++) {
      String name = specs.get(i).name();
      if (specs.get(i).type() == FeatureType.NUMERIC) {
        if (Double.isNaN(p.numeric()[i])) {
          features.putNull(name);
        } else {
          features.put(name, p.numeric()[i]);
        }
      } else {
        features.put(name, p.categorical()[i]);
      }
    }
    n.put("score", p.score());
    n.put("label", lp.label());
    n.put("label_ts", lp.labelTimestamp());
    return Json.bytes(n);
  }
}
