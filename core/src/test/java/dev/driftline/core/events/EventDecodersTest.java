package dev.driftline.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.io.Decoded;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventDecodersTest {
  private static final MonitorSpec CHURN = MonitorSpecParser.parse("churn.yaml", String.join("\n",
      "model_id: churn",
      "task: binary_classification",
      "fields: {segment: region}",
      "features:",
      "  - {name: tenure, type: numeric}",
      "  - {name: plan, type: categorical}",
      "reference: {source: previous_window}",
      "window: {size: 1h}"));
  private static final MonitorSpec PRICE = MonitorSpecParser.parse("price.yaml", String.join("\n",
      "model_id: price",
      "task: regression",
      "features:",
      "  - {name: rooms, type: numeric}",
      "reference: {source: previous_window}",
      "window: {size: 1h}"));
  private static final ModelRegistry MODELS = new ModelRegistry(List.of(CHURN, PRICE));
  private static final String GOOD =
      "{'model_id':'churn','prediction_id':'p1','ts':1767225600000,'region':'eu','features':{'tenure':12.5,'plan':'pro'},'score':0.8}";

  private static Decoded<Prediction> prediction(String json) {
    return new PredictionDecoder(MODELS).decode(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  private static Decoded<Label> label(String json) {
    return new LabelDecoder(MODELS).decode(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void decodesAValidPredictionPositionallyInSpecOrder() {
    Prediction p = prediction(GOOD).value();

    assertThat(p.modelId()).isEqualTo("churn");
    assertThat(p.predictionId()).isEqualTo("p1");
    assertThat(p.timestamp()).isEqualTo(1767225600000L);
    assertThat(p.segment()).isEqualTo("eu");
    assertThat(p.numeric()).containsExactly(12.5, Double.NaN);
    assertThat(p.categorical()).containsExactly(null, "pro");
    assertThat(p.score()).isEqualTo(0.8);
  }

  @Test
  void acceptsIsoTimesNullMissingValuesAndNumericCategories() {
    Prediction p = prediction(GOOD.replace("1767225600000", "'2026-01-01T00:00:00Z'")
        .replace("12.5", "null").replace("'pro'", "3")).value();

    assertThat(p.timestamp()).isEqualTo(1767225600000L);
    assertThat(p.numeric()[0]).isNaN();
    assertThat(p.categorical()[1]).isEqualTo("3");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "text number | 12.5 | 'twelve' | 0",
      "boolean number | 12.5 | true | 0",
      "object number | 12.5 | {'a':1} | 0",
      "object category | 'pro' | {'a':1} | 1",
      "array category | 'pro' | ['pro'] | 1",
  })
  void keepsAPredictionWithAValueOfTheWrongTypeAsMissing(String name, String from, String to, int feature) {
    Prediction p = prediction(GOOD.replace(from, to)).value();

    assertThat(p.predictionId()).isEqualTo("p1");
    assertThat(p.score()).isEqualTo(0.8);
    assertThat(p.wrongType(0, FeatureType.NUMERIC)).isEqualTo(feature == 0);
    assertThat(p.wrongType(1, FeatureType.CATEGORICAL)).isEqualTo(feature == 1);
    assertThat(Double.isNaN(p.numeric()[0])).isEqualTo(feature == 0);
    assertThat(p.categorical()[1]).isEqualTo(feature == 1 ? null : "pro");
  }

  @Test
  void aValidPredictionHasNoWrongType() {
    Prediction p = prediction(GOOD.replace("12.5", "null").replace("'pro'", "null")).value();
    assertThat(p.wrongType(0, FeatureType.NUMERIC)).isFalse();
    assertThat(p.wrongType(1, FeatureType.CATEGORICAL)).isFalse();
    assertThat(prediction(GOOD).value().wrongType(0, FeatureType.NUMERIC)).isFalse();
    assertThat(prediction(GOOD).value().wrongType(1, FeatureType.CATEGORICAL)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "truncated | {'model_id':'churn' | invalid JSON: ",
      "array | [1,2] | expected a JSON object, got array",
      "no model | {'prediction_id':'p'} | model_id: expected a non-empty string, got nothing",
      "unknown model | {'model_id':'fraud'} | model_id: unknown model \"fraud\"; this job monitors churn, price",
  })
  void rejectsStructurallyBadRecords(String name, String json, String reason) {
    assertThat(prediction(json).error()).startsWith(reason.replace('\'', '"'));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "missing feature | ,'plan':'pro' | ,'pln':'pro' | features.plan: missing (send null for a missing value)",
      "overflowing number | 12.5 | 1e400 | features.tenure: expected a finite number, got ",
      "score above 1 | 'score':0.8 | 'score':1.5 | score: expected a probability in [0, 1], got 1.5",
      "score as text | 'score':0.8 | 'score':'0.8' | score: expected a finite number, got \"0.8\"",
      "seconds not millis | 1767225600000 | 1767225600 | ts: expected epoch millis or an ISO-8601 time, got 1767225600",
      "bad time | 1767225600000 | 'yesterday' | ts: expected epoch millis or an ISO-8601 time, got \"yesterday\"",
      "no id | 'prediction_id':'p1' | 'prediction_id':'' | prediction_id: expected a non-empty string, got \"\"",
      "duplicate key | 'score':0.8 | 'score':0.8,'score':0.9 | invalid JSON: Duplicate field",
      "NaN token | 12.5 | NaN | features.tenure: expected a finite number, got NaN",
      "Infinity score | 'score':0.8 | 'score':-Infinity | score: expected a finite number, got -Infinity",
      "NaN category | 'pro' | NaN | features.plan: expected a category (string), got NaN",
      "segment object | 'eu' | {'x':1} | region: expected a string, got {\"x\":1}",
      "future time | 1767225600000 | '2999-01-01T00:00:00Z' | ts: expected epoch millis or an ISO-8601 time, got \"2999-01-01T00:00:00Z\" (more than 24h in the future)",
      "before 1970 | 1767225600000 | -86400000 | ts: expected epoch millis or an ISO-8601 time, got -86400000 (before 2001-09-09T01:46:40Z",
      "huge instant | 1767225600000 | '+999999999-12-31T23:59:59Z' | ts: expected epoch millis or an ISO-8601 time, got \"+999999999-12-31T23:59:59Z\" (more than",
      "broken inside | 'plan':'pro' | 'plan':'pro'} | invalid JSON: ",
  })
  void rejectsInvalidFieldsNamingThem(String name, String from, String to, String reason) {
    String json = GOOD.replace(from, to);
    assertThat(json).isNotEqualTo(GOOD);
    assertThat(prediction(json).error()).startsWith(reason.replace('\'', '"'));
  }

  @Test
  void decodesLabelsForBothTasks() {
    assertThat(label("{'model_id':'churn','prediction_id':'p1','ts':1767225600000,'label':true}").value().value()).isEqualTo(1.0);
    assertThat(label("{'model_id':'churn','prediction_id':'p1','ts':1767225600000,'label':'0'}").value().value()).isEqualTo(0.0);
    assertThat(label("{'model_id':'price','prediction_id':'p1','ts':1767225600000,'label':250000.5}").value().value()).isEqualTo(250000.5);
    assertThat(label("{'model_id':'churn','prediction_id':'p1','ts':1767225600000,'label':2}").error())
        .isEqualTo("label: expected 0 or 1 (or true/false), got 2");
    assertThat(label("{'model_id':'price','prediction_id':'p1','ts':1767225600000,'label':'high'}").error())
        .isEqualTo("label: expected a finite number, got \"high\"");
    assertThat(label("{'model_id':'churn','prediction_id':'p1','label':1}").error())
        .isEqualTo("ts: expected epoch millis or an ISO-8601 time, got nothing");
  }
}
