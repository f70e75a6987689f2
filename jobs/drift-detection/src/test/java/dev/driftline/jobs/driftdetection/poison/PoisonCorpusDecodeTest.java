package dev.driftline.jobs.driftdetection.poison;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.events.LabelDecoder;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.jobs.driftdetection.operators.BaselineDecoder;
import dev.driftline.runtime.kafka.DecodeFunction;
import dev.driftline.services.PoisonCorpus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every corpus entry of the drift job's topics, through its decoder (and the size limit in front
 * of it), without a cluster: refused with a reason that names its field — or, for the entries the
 * label join refuses, accepted by the decoder. The entries kept (a feature value of the wrong type)
 * decode to a prediction with that feature missing and marked, and no other.
 */
class PoisonCorpusDecodeTest {
  @TempDir static Path dir;
  static MonitorSpec spec;
  static ModelRegistry models;
  static JsonNode profile;

  @BeforeAll
  static void buildProfile() throws Exception {
    spec = PoisonTraffic.spec();
    models = new ModelRegistry(List.of(spec));
    BaselineFile p = PoisonTraffic.profile(spec, dir);
    profile = Json.mapper().readTree(Json.bytes(p));
    assertThat(new BaselineDecoder(models).decode(Json.bytes(p)).isOk()).as("the valid profile").isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"predictions", "labels", "baselines"})
  void everyEntryIsRefusedNamingItsFieldOrLeftToTheJoin(String topic) {
    Decoded.Decoder<?> decoder = switch (topic) {
      case "predictions" -> new PredictionDecoder(models);
      case "labels" -> new LabelDecoder(models);
      default -> new BaselineDecoder(models);
    };
    List<PoisonCorpus.Entry> entries = PoisonCorpus.load(topic);
    assertThat(entries).hasSizeGreaterThanOrEqualTo(200);
    SoftAssertions softly = new SoftAssertions();
    for (PoisonCorpus.Entry e : entries) {
      byte[] bytes = e.bytes(Map.of("prediction_id", "p-1", "ts", "1772409600000"), profile);
      String tooLarge = DecodeFunction.tooLarge(bytes.length, DecodeFunction.DEFAULT_MAX_RECORD_BYTES);
      Decoded<?> d = tooLarge != null ? Decoded.error(tooLarge) : decoder.decode(bytes);
      if (e.stage().equals("join")) {
        softly.assertThat(d.isOk()).as(e.id() + " (" + e.category() + ") decodes: " + d).isTrue();
      } else if (d.isOk()) {
        softly.fail(e.id() + " (" + e.category() + ") decoded: " + new String(bytes, 0, Math.min(bytes.length, 300)));
      } else {
        softly.assertThat(d.error()).as(e.id() + " (" + e.category() + ")").contains(e.expect()).doesNotContain("\n");
      }
    }
    softly.assertAll();
  }

  @Test
  void aFeatureValueOfTheWrongTypeKeepsThePredictionWithThatValueMissing() {
    List<PoisonCorpus.Entry> kept = PoisonCorpus.kept("predictions");
    // 8 numeric features x 5 values and x 3 non-finite strings, 4 categorical x 3, 3 nested arrays for income.
    assertThat(kept).hasSize(79);
    PredictionDecoder decoder = new PredictionDecoder(models);
    Map<String, Integer> byFeature = new java.util.TreeMap<>();
    SoftAssertions softly = new SoftAssertions();
    for (PoisonCorpus.Entry e : kept) {
      Decoded<Prediction> d = decoder.decode(e.bytes());
      softly.assertThat(d.isOk()).as(e.id() + " decodes: " + d).isTrue();
      if (!d.isOk()) {
        continue;
      }
      String feature = e.expect().substring("features.".length());
      for (int i = 0; i < spec.features().size(); i++) {
        FeatureSpec f = spec.features().get(i);
        softly.assertThat(d.value().wrongType(i, f.type())).as(e.id() + " " + f.name()).isEqualTo(f.name().equals(feature));
      }
      byFeature.merge(feature, 1, Integer::sum);
    }
    softly.assertAll();
    assertThat(byFeature).containsEntry("income", 11).containsEntry("age", 8).containsEntry("loan_term", 3).hasSize(12);
  }
}
