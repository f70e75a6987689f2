package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftline.core.events.LabelDecoder;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.features.FeatureEventDecoder;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.jobs.driftdetection.operators.BaselineDecoder;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetters;
import dev.driftline.runtime.kafka.DecodeFunction;
import dev.driftline.runtime.kafka.RawRecord;
import dev.driftline.services.TopicSchemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The input schemas and the real decoders agree: every example of {@code prediction.v1},
 * {@code label.v1}, {@code feature-event.v1} and {@code baseline.v1} decodes, through the job's
 * {@link DecodeFunction}, to the values it holds; records the schema rejects (a required field
 * missing, a wrong type) are rejected by the schema validator and dead-lettered by the decoder
 * with a reason naming the field. A feature value of the wrong type, which the schema cannot see,
 * is kept by the decoder as a missing value.
 */
class InputSchemasDecodeTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final MonitorSpec SPEC = spec();
  static final ModelRegistry MODELS = new ModelRegistry(List.of(SPEC));

  static MonitorSpec spec() {
    try {
      return MonitorSpecParser.parse("monitor.yaml", Files.readString(Path.of("../../examples/credit-default/monitor.yaml")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static List<JsonNode> examples(String schemaId) {
    List<JsonNode> out = new ArrayList<>();
    TopicSchemas.schema(schemaId).getSchemaNode().get("examples").forEach(out::add);
    assertThat(out).as(schemaId + " examples").isNotEmpty();
    return out;
  }

  /** What the decode step makes of {@code json}: its outputs and its dead letters. */
  static <T> Result<T> decode(String stage, Decoded.Decoder<T> decoder, String json) throws Exception {
    return decode(stage, decoder, json, null, null);
  }

  /** As the jobs decode: {@code expected} is the schema the step reads, {@code header} the record's schema header. */
  static <T> Result<T> decode(String stage, Decoded.Decoder<T> decoder, String json, RecordSchema expected, String header)
      throws Exception {
    DecodeFunction<T> step = new DecodeFunction<>(stage, decoder);
    try (OneInputStreamOperatorTestHarness<RawRecord, T> h =
        new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(expected == null ? step : step.expecting(expected)))) {
      h.open();
      h.processElement(new StreamRecord<>(new RawRecord("in", 0, 7, 1_772_409_600_000L, null,
          json.getBytes(StandardCharsets.UTF_8), header)));
      List<T> values = new ArrayList<>();
      h.extractOutputValues().forEach(values::add);
      List<DeadLetter> dead = new ArrayList<>();
      var side = h.getSideOutput(DeadLetters.TAG);
      if (side != null) {
        side.forEach(r -> dead.add(r.getValue()));
      }
      return new Result<>(values, dead);
    }
  }

  record Result<T>(List<T> values, List<DeadLetter> deadLetters) {}

  static long millis(JsonNode ts) {
    return ts.isIntegralNumber() ? ts.asLong() : OffsetDateTime.parse(ts.asText()).toInstant().toEpochMilli();
  }

  @Test
  void predictionExamplesDecodeToTheirValues() throws Exception {
    for (JsonNode example : examples("prediction/1")) {
      var r = decode("decode:predictions", new PredictionDecoder(MODELS), example.toString());
      assertThat(r.deadLetters()).as(example.toString()).isEmpty();
      var p = r.values().get(0);
      assertThat(p.modelId()).isEqualTo(example.get("model_id").asText());
      assertThat(p.predictionId()).isEqualTo(example.get("prediction_id").asText());
      assertThat(p.timestamp()).isEqualTo(millis(example.get("ts")));
      assertThat(p.score()).isEqualTo(example.get("score").asDouble());
      assertThat(p.segment()).isEqualTo(example.path("segment").isMissingNode() ? null : example.get("segment").asText());
      assertThat(p.entityId()).isEqualTo(example.path("entity_id").isMissingNode() ? null : example.get("entity_id").asText());
      for (int i = 0; i < SPEC.features().size(); i++) {
        FeatureSpec f = SPEC.features().get(i);
        JsonNode v = example.get("features").get(f.name());
        if (f.type() == FeatureType.NUMERIC) {
          if (v.isNull()) {
            assertThat(p.numeric()[i]).as(f.name() + ": missing").isNaN();
          } else {
            assertThat(p.numeric()[i]).as(f.name()).isEqualTo(v.asDouble());
          }
        } else {
          assertThat(p.categorical()[i]).as(f.name()).isEqualTo(v.isNull() ? null : v.asText());
        }
      }
    }
  }

  @Test
  void labelExamplesDecodeToTheirValues() throws Exception {
    for (JsonNode example : examples("label/1")) {
      var r = decode("decode:labels", new LabelDecoder(MODELS), example.toString());
      assertThat(r.deadLetters()).as(example.toString()).isEmpty();
      var l = r.values().get(0);
      assertThat(l.modelId()).isEqualTo(example.get("model_id").asText());
      assertThat(l.predictionId()).isEqualTo(example.get("prediction_id").asText());
      assertThat(l.timestamp()).isEqualTo(millis(example.get("ts")));
      JsonNode label = example.get("label");
      double expected = label.isBoolean() ? (label.asBoolean() ? 1 : 0)
          : label.isNumber() ? label.asDouble() : (label.asText().trim().matches("(?i)1|true") ? 1 : 0);
      assertThat(l.value()).isEqualTo(expected);
    }
  }

  @Test
  void featureEventExamplesDecodeToTheirValues() throws Exception {
    FeatureView view = FeatureViewParser.parse("card-transactions.yaml",
        Files.readString(Path.of("../../examples/feature-views/card-transactions.yaml")));
    assertThat(view.numericFields()).containsExactly("amount");
    assertThat(view.textFields()).containsExactly("merchant_id");
    for (JsonNode example : examples("feature-event/1")) {
      var r = decode("decode:" + view.name(), new FeatureEventDecoder(view), example.toString());
      assertThat(r.deadLetters()).as(example.toString()).isEmpty();
      var e = r.values().get(0);
      assertThat(e.entity()).isEqualTo(example.get("card_id").asText());
      assertThat(e.timestamp()).isEqualTo(millis(example.get("ts")));
      assertThat(e.numbers()).containsExactly(example.get("amount").asDouble());
      assertThat(e.texts()).containsExactly(example.get("merchant_id").asText());
    }
  }

  @Test
  void baselineExamplesDecodeToTheirProfiles() throws Exception {
    for (JsonNode example : examples("baseline/1")) {
      var r = decode("decode:baselines", new BaselineDecoder(MODELS), example.toString());
      assertThat(r.deadLetters()).as("dead letters").isEmpty();
      var b = r.values().get(0);
      assertThat(b.modelId()).isEqualTo(example.get("model_id").asText()).isEqualTo(SPEC.modelId());
      assertThat(b.profileId()).isEqualTo(example.get("profile_id").asText());
      assertThat(b.createdAt()).isEqualTo(example.get("created_at").asText());
    }
  }

  /** A record the schema rejects: the validator says why, and the decoder dead-letters it with its own reason. */
  static <T> void rejectedByBoth(String schemaId, String stage, Decoded.Decoder<T> decoder, JsonNode record,
      String schemaError, String reason) throws Exception {
    assertThat(TopicSchemas.errors(schemaId, record)).as(record.toString()).isNotEmpty()
        .anySatisfy(e -> assertThat(e).contains(schemaError));
    var r = decode(stage, decoder, record.toString());
    assertThat(r.values()).as(record.toString()).isEmpty();
    assertThat(r.deadLetters()).hasSize(1);
    DeadLetter d = r.deadLetters().get(0);
    assertThat(d.stage()).isEqualTo(stage);
    assertThat(d.reason()).isEqualTo(reason);
    assertThat(new String(d.value(), StandardCharsets.UTF_8)).isEqualTo(record.toString());
    assertThat(d.topic()).isEqualTo("in");
    assertThat(d.offset()).isEqualTo(7);
  }

  static com.fasterxml.jackson.databind.node.ObjectNode copy(JsonNode n) {
    return (com.fasterxml.jackson.databind.node.ObjectNode) n.deepCopy();
  }

  @Test
  void aRecordOfAnotherMajorVersionIsDeadLetteredUnread() throws Exception {
    String prediction = examples("prediction/1").get(0).toString();
    PredictionDecoder decoder = new PredictionDecoder(MODELS);
    assertThat(decode("decode:predictions", decoder, prediction, RecordSchema.PREDICTION, "prediction/1").values()).hasSize(1);
    assertThat(decode("decode:predictions", decoder, prediction, RecordSchema.PREDICTION, null).values())
        .as("no header: a producer outside Driftline").hasSize(1);
    var v2 = decode("decode:predictions", decoder, prediction, RecordSchema.PREDICTION, "prediction/2");
    assertThat(v2.values()).isEmpty();
    assertThat(v2.deadLetters()).extracting(DeadLetter::reason)
        .containsExactly("driftline-schema header: expected prediction/1, got \"prediction/2\"");
    var label = decode("decode:predictions", decoder, prediction, RecordSchema.PREDICTION, "label/1");
    assertThat(label.deadLetters()).extracting(DeadLetter::reason)
        .containsExactly("driftline-schema header: expected prediction/1, got \"label/1\"");
  }

  @Test
  void recordsTheSchemasRejectAreDeadLetteredWithAReason() throws Exception {
    JsonNode prediction = examples("prediction/1").get(0);
    JsonNode label = examples("label/1").get(0);

    var noScore = copy(prediction);
    noScore.remove("score");
    rejectedByBoth("prediction/1", "decode:predictions", new PredictionDecoder(MODELS), noScore,
        "required property 'score' not found", "score: expected a finite number, got nothing");

    var textIncome = copy(prediction);
    ((com.fasterxml.jackson.databind.node.ObjectNode) textIncome.get("features")).put("income", "high");
    // The schema cannot know which feature is numeric (that is the model's spec); the decoder does.
    assertThat(TopicSchemas.errors("prediction/1", textIncome)).isEmpty();
    // A value of the wrong type is no dead letter: the prediction is kept, the value missing and counted.
    var r = decode("decode:predictions", new PredictionDecoder(MODELS), textIncome.toString());
    assertThat(r.deadLetters()).isEmpty();
    assertThat(r.values()).hasSize(1);
    int income = SPEC.features().indexOf(SPEC.feature("income").orElseThrow());
    assertThat(r.values().get(0).wrongType(income, dev.driftline.core.spec.FeatureType.NUMERIC)).isTrue();
    assertThat(r.values().get(0).numeric()[income]).isNaN();

    var scoreAsText = copy(prediction);
    scoreAsText.put("score", "0.4");
    rejectedByBoth("prediction/1", "decode:predictions", new PredictionDecoder(MODELS), scoreAsText,
        "/score: string found, number expected", "score: expected a finite number, got \"0.4\"");

    var secondsTs = copy(prediction);
    secondsTs.put("ts", 1772409600);
    rejectedByBoth("prediction/1", "decode:predictions", new PredictionDecoder(MODELS), secondsTs,
        "/ts", "ts: expected epoch millis or an ISO-8601 time, got 1772409600 (before 2001-09-09T01:46:40Z: seconds, not millis?)");

    var noFeatures = copy(prediction);
    noFeatures.remove("features");
    rejectedByBoth("prediction/1", "decode:predictions", new PredictionDecoder(MODELS), noFeatures,
        "required property 'features' not found", "features: expected an object of name to value, got nothing");

    // Every such text is copied into results, state keys and labelled predictions: 1024 characters at most.
    var longCategory = copy(prediction);
    ((com.fasterxml.jackson.databind.node.ObjectNode) longCategory.get("features")).put("loan_purpose", "p".repeat(5_000));
    rejectedByBoth("prediction/1", "decode:predictions", new PredictionDecoder(MODELS), longCategory,
        "/features/loan_purpose: must be at most 1,024 characters long", "features.loan_purpose: expected at most 1024 characters, got 5000");
    var longSegment = copy(prediction);
    longSegment.put("segment", "s".repeat(1025));
    rejectedByBoth("prediction/1", "decode:predictions", new PredictionDecoder(MODELS), longSegment,
        "/segment: must be at most 1,024 characters long", "segment: expected at most 1024 characters, got 1025");
    var atTheLimit = copy(prediction);
    atTheLimit.put("segment", "s".repeat(1024));
    assertThat(TopicSchemas.errors("prediction/1", atTheLimit)).isEmpty();
    assertThat(decode("decode:predictions", new PredictionDecoder(MODELS), atTheLimit.toString()).values()).hasSize(1);

    var longId = copy(label);
    longId.put("prediction_id", "i".repeat(2000));
    rejectedByBoth("label/1", "decode:labels", new LabelDecoder(MODELS), longId,
        "/prediction_id: must be at most 1,024 characters long", "prediction_id: expected at most 1024 characters, got 2000");

    var noLabel = copy(label);
    noLabel.remove("label");
    rejectedByBoth("label/1", "decode:labels", new LabelDecoder(MODELS), noLabel,
        "required property 'label' not found", "label: expected 0 or 1 (or true/false), got nothing");

    // A word may be a multiclass model's class: the schema takes it, the decoder knows the model's task.
    var labelWord = copy(label);
    labelWord.put("label", "yes");
    assertThat(TopicSchemas.errors("label/1", labelWord)).isEmpty();
    assertThat(decode("decode:labels", new LabelDecoder(MODELS), labelWord.toString()).deadLetters())
        .extracting(DeadLetter::reason).containsExactly("label: expected 0 or 1 (or true/false), got \"yes\"");
    var labelObject = copy(label);
    labelObject.putObject("label");
    rejectedByBoth("label/1", "decode:labels", new LabelDecoder(MODELS), labelObject,
        "/label", "label: expected 0 or 1 (or true/false), got {}");

    var idAsNumber = copy(label);
    idAsNumber.put("prediction_id", 17);
    rejectedByBoth("label/1", "decode:labels", new LabelDecoder(MODELS), idAsNumber,
        "/prediction_id: integer found, string expected", "prediction_id: expected a non-empty string, got 17");

    JsonNode event = examples("feature-event/1").get(0);
    FeatureView view = FeatureViewParser.parse("card-transactions.yaml",
        Files.readString(Path.of("../../examples/feature-views/card-transactions.yaml")));
    var noAmount = copy(event);
    noAmount.remove("amount");
    rejectedByBoth("feature-event/1", "decode:" + view.name(), new FeatureEventDecoder(view), noAmount,
        "required property 'amount' not found", "amount: expected a finite number, got nothing");

    JsonNode baseline = examples("baseline/1").get(0);
    var misspelt = copy(baseline);
    misspelt.set("calibrations", misspelt.remove("calibration"));
    assertThat(TopicSchemas.errors("baseline/1", misspelt)).anySatisfy(e -> assertThat(e).contains("calibrations"));
    var b = decode("decode:baselines", new BaselineDecoder(MODELS), misspelt.toString());
    assertThat(b.deadLetters()).extracting(DeadLetter::reason).containsExactly("baseline: not a Driftline profile: calibrations: unknown field");
  }
}
