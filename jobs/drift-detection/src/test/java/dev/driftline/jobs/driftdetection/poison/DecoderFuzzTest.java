package dev.driftline.jobs.driftdetection.poison;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.events.EventTimes;
import dev.driftline.core.events.Label;
import dev.driftline.core.events.LabelDecoder;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.jobs.driftdetection.operators.BaselineDecoder;
import dev.driftline.services.ByteFuzz;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the drift job's decoders: thousands of random byte strings and mutated valid
 * records each. A decoder returns a value or a one-line reason and never throws; what it accepts
 * holds the invariants the operators after it rely on.
 */
class DecoderFuzzTest {
  @TempDir static Path dir;
  static MonitorSpec spec;
  static ModelRegistry models;
  static List<byte[]> predictions;
  static List<byte[]> labels;
  static byte[] profile;

  @BeforeAll
  static void seeds() throws Exception {
    spec = PoisonTraffic.spec();
    models = new ModelRegistry(List.of(spec));
    BaselineFile p = PoisonTraffic.profile(spec, dir);
    profile = Json.bytes(p);
    List<TrafficEvent> events = PoisonTraffic.events(spec, p, Duration.ofMinutes(2));
    predictions = events.stream().filter(e -> e.type() == TrafficEvent.Type.PREDICTION).limit(20)
        .map(e -> e.json().getBytes(StandardCharsets.UTF_8)).toList();
    labels = events.stream().filter(e -> e.type() == TrafficEvent.Type.LABEL).limit(20)
        .map(e -> e.json().getBytes(StandardCharsets.UTF_8)).toList();
  }

  static void checkReason(Decoded<?> d) {
    assertThat(d).isNotNull();
    if (!d.isOk()) {
      assertThat(d.error()).isNotBlank().doesNotContain("\n");
    }
  }

  @Test
  void predictionDecoderNeverThrowsAndAcceptsOnlyFiniteTimedValues() {
    PredictionDecoder decoder = new PredictionDecoder(models);
    ByteFuzz fuzz = new ByteFuzz(1);
    int[] accepted = new int[1];
    fuzz.run(3_000, predictions, 200, bytes -> {
      Decoded<Prediction> d = decoder.decode(bytes);
      checkReason(d);
      if (d.isOk()) {
        accepted[0]++;
        Prediction p = d.value();
        assertThat(p.timestamp()).isBetween(EventTimes.MIN_MILLIS, System.currentTimeMillis() + EventTimes.MAX_AHEAD.toMillis());
        assertThat(p.score()).isBetween(0.0, 1.0);
        for (double v : p.numeric()) {
          assertThat(Double.isInfinite(v)).isFalse();
        }
        assertThat(p.predictionId()).isNotBlank();
      }
    });
    assertThat(fuzz.cases()).isEqualTo(7_000);
    assertThat(accepted[0]).as("some mutations stay valid").isPositive();
  }

  @Test
  void labelDecoderNeverThrowsAndAcceptsOnlyZeroOrOne() {
    LabelDecoder decoder = new LabelDecoder(models);
    ByteFuzz fuzz = new ByteFuzz(2);
    fuzz.run(3_000, labels, 200, bytes -> {
      Decoded<Label> d = decoder.decode(bytes);
      checkReason(d);
      if (d.isOk()) {
        assertThat(d.value().value()).isIn(0.0, 1.0);
        assertThat(d.value().timestamp()).isGreaterThanOrEqualTo(EventTimes.MIN_MILLIS);
      }
    });
    assertThat(fuzz.cases()).isEqualTo(7_000);
  }

  @Test
  void baselineDecoderNeverThrowsAndAcceptsOnlyUsableProfiles() {
    BaselineDecoder decoder = new BaselineDecoder(models);
    ByteFuzz fuzz = new ByteFuzz(3);
    fuzz.run(3_000, List.of(profile), 1_500, bytes -> {
      Decoded<BaselineDecoder.PublishedBaseline> d = decoder.decode(bytes);
      checkReason(d);
      if (d.isOk()) {
        // What the drift evaluation will do with it: read it again and turn it into a baseline.
        BaselineFile p = BaselineFiles.read("fuzz", new ByteArrayInputStream(d.value().json()));
        dev.driftline.core.baseline.Baseline.fromProfile(p, spec).numeric().values().forEach(n -> n.sketch());
      }
    });
    assertThat(fuzz.cases()).isEqualTo(4_500);
  }
}
