package dev.driftline.jobs.driftdetection.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelledJsonTest {
  static final MonitorSpec SPEC = MonitorSpecParser.parse("m.yaml", String.join("\n",
      "model_id: churn",
      "task: binary_classification",
      "features:",
      "  - {name: tenure, type: numeric}",
      "  - {name: plan, type: categorical}",
      "  - {name: spend, type: numeric}",
      "  - {name: region, type: categorical}",
      "reference: {source: previous_window}",
      "window: {size: 1h}"));

  @Test
  void writesThePredictionAsLoggedWithItsLabel() {
    Prediction p = new Prediction("churn", "p-7", 1_772_409_600_000L, null, null, new double[] {12.5, Double.NaN, Double.NaN, Double.NaN},
        new String[] {null, "pro", null, null}, 0.25, null);
    String json = new String(LabelledJson.toJson(new LabelJoinFunction.LabelledPrediction(p, 1.0, 1_772_409_700_000L),
        new ModelRegistry(List.of(SPEC))), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"model_id\":\"churn\",\"prediction_id\":\"p-7\",\"ts\":1772409600000,"
        + "\"features\":{\"tenure\":12.5,\"plan\":\"pro\",\"spend\":null,\"region\":null},"
        + "\"score\":0.25,\"label\":1.0,\"label_ts\":1772409700000}");
  }

  @Test
  void namesTheSegmentWhenThePredictionHasOne() {
    Prediction p = new Prediction("churn", "p-8", 5, "e", "north", new double[] {1, Double.NaN, 2, Double.NaN},
        new String[] {null, "basic", null, "eu"}, 0.5, "1");
    String json = new String(LabelledJson.toJson(new LabelJoinFunction.LabelledPrediction(p, 0.0, 6),
        new ModelRegistry(List.of(SPEC))), StandardCharsets.UTF_8);
    assertThat(json).startsWith("{\"model_id\":\"churn\",\"segment\":\"north\",\"prediction_id\":\"p-8\"")
        .contains("\"features\":{\"tenure\":1.0,\"plan\":\"basic\",\"spend\":2.0,\"region\":\"eu\"}");
  }

  /** Every labelled prediction's features are written as text; the shortest form is both faster and smaller. */
  @Test
  void writesEachDoubleAsItsShortestDecimal() {
    Prediction p = new Prediction("churn", "p-9", 5, null, null, new double[] {2.82879384806159E17, Double.NaN, 1.0E23, Double.NaN},
        new String[] {null, "pro", null, null}, 0.1 + 0.2, null);
    String json = new String(LabelledJson.toJson(new LabelJoinFunction.LabelledPrediction(p, 1.0, 6),
        new ModelRegistry(List.of(SPEC))), StandardCharsets.UTF_8);
    // JDK 17's Double.toString writes 2.82879384806159008E17 and 9.999999999999999E22 here
    assertThat(json).contains("\"tenure\":2.82879384806159E17,", "\"spend\":1.0E23,", "\"score\":0.30000000000000004,");
  }
}
