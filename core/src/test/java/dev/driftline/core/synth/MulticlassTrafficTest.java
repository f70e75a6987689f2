package dev.driftline.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.events.Label;
import dev.driftline.core.events.LabelDecoder;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Traffic of examples/ticket-routing (four queues): calibrated class scores, class-name labels, drift. */
class MulticlassTrafficTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration HOUR = Duration.ofHours(1);
  static final List<String> QUEUES = List.of("billing", "technical", "account", "other");
  static MonitorSpec spec;
  static PredictionDecoder predictionDecoder;
  static LabelDecoder labelDecoder;

  @BeforeAll
  static void load() {
    spec = MonitorSpecParser.load(Path.of("../examples/ticket-routing/monitor.yaml"));
    ModelRegistry models = new ModelRegistry(List.of(spec));
    predictionDecoder = new PredictionDecoder(models);
    labelDecoder = new LabelDecoder(models);
  }

  /** Every event of a run, decoded by the drift job's own decoders: predictions by id, labels in order. */
  record Run(Map<String, Prediction> predictions, List<String> predictionJson, List<Label> labels) {
    /** Labels of the predictions {@code which} accepts. */
    List<Label> labelsOf(Predicate<Prediction> which) {
      return labels.stream().filter(l -> which.test(predictions.get(l.predictionId()))).toList();
    }
  }

  static Run run(TrafficConfig config) {
    Map<String, Prediction> predictions = new HashMap<>();
    List<Label> labels = new java.util.ArrayList<>();
    List<String> json = new java.util.ArrayList<>();
    TrafficGenerator.stream(config).forEach(e -> {
      byte[] bytes = e.json().getBytes(StandardCharsets.UTF_8);
      if (e.type() == TrafficEvent.Type.PREDICTION) {
        Decoded<Prediction> p = predictionDecoder.decode(bytes);
        assertThat(p.isOk()).as(p + " " + e.json()).isTrue();
        predictions.put(p.value().predictionId(), p.value());
        json.add(e.json());
      } else {
        Decoded<Label> l = labelDecoder.decode(bytes);
        assertThat(l.isOk()).as(l + " " + e.json()).isTrue();
        labels.add(l.value());
      }
    });
    return new Run(predictions, json, labels);
  }

  static double[] classShares(List<Label> labels) {
    double[] share = new double[QUEUES.size()];
    labels.forEach(l -> share[(int) l.value()] += 1.0 / labels.size());
    return share;
  }

  static double accuracy(Run run, List<Label> labels) {
    return labels.stream().filter(l -> run.predictions().get(l.predictionId()).predictedClass()
        .equals(QUEUES.get((int) l.value()))).count() / (double) labels.size();
  }

  static DriftInjection drift(String text) {
    return DriftInjection.parse(text, spec, START, HOUR);
  }

  @Test
  void scoresCoverTheSpecClassesSumToOneAndEveryRecordDecodes() {
    List<TrafficEvent> events = TrafficGenerator.stream(TrafficConfig.of(spec, START, HOUR, 2, 5)).toList();
    JsonNode first = events.get(0).body();
    assertThat(first.get("scores").isObject()).isTrue();
    assertThat(first.get("scores").fieldNames()).toIterable().containsExactlyElementsOf(QUEUES);
    double top = QUEUES.stream().mapToDouble(q -> first.get("scores").get(q).asDouble()).max().orElseThrow();
    assertThat(first.get("score").asDouble()).as("the predicted class's probability").isEqualTo(top);
    assertThat(first.has("customer_id")).isTrue();
    assertThat(first.get("channel").asText()).startsWith("channel_");
    assertThat(events.stream().filter(e -> e.type() == TrafficEvent.Type.PREDICTION)).hasSize(7200)
        .allSatisfy(e -> {
          double sum = 0;
          for (String q : QUEUES) {
            double p = e.body().get("scores").get(q).asDouble();
            assertThat(p).isBetween(0.0, 1.0);
            sum += p;
          }
          assertThat(sum).isCloseTo(1.0, within(1e-9));
        });
    assertThat(events.stream().filter(e -> e.type() == TrafficEvent.Type.LABEL))
        .allSatisfy(e -> assertThat(QUEUES).contains(e.body().get("label").asText()));

    Run run = run(TrafficConfig.of(spec, START, HOUR, 2, 5));
    assertThat(run.predictions()).hasSize(7200);
    // 5% never labelled by default: 4 binomial standard errors.
    assertThat(run.labels().size() / 7200.0).isCloseTo(0.95, within(4 * Math.sqrt(0.05 * 0.95 / 7200)));
    Prediction p = run.predictions().values().iterator().next();
    assertThat(p.classScores()).hasSize(4);
    assertThat(p.score()).isEqualTo(java.util.Arrays.stream(p.classScores()).max().orElseThrow());
  }

  @Test
  void labelsAreDrawnFromTheScoresSoAccuracyAndClassSharesAreWhatTheScoresImply() {
    Run run = run(TrafficConfig.of(spec, START, Duration.ofHours(2), 5, 11).withLabels(Duration.ofMinutes(5), 0));
    List<Label> labels = run.labels();
    int n = labels.size();
    assertThat(n).isEqualTo(36_000);
    double[] share = classShares(labels);
    double[] meanScore = new double[QUEUES.size()];
    double meanTop = 0;
    for (Label l : labels) {
      Prediction p = run.predictions().get(l.predictionId());
      for (int c = 0; c < meanScore.length; c++) {
        meanScore[c] += p.classScores()[c] / n;
      }
      meanTop += p.score() / n;
    }
    for (int c = 0; c < share.length; c++) {
      // Calibrated: each class's share of the labels is its mean score (4 binomial standard errors).
      assertThat(share[c]).as(QUEUES.get(c)).isCloseTo(meanScore[c], within(4 * Math.sqrt(0.25 / n)));
    }
    // The prior 1/(c+1)², 0.70, 0.18, 0.08, 0.04, evened out by the classes' signals.
    assertThat(share[0]).isBetween(0.35, 0.50);
    assertThat(share[1]).isBetween(0.20, 0.32);
    assertThat(share[2]).isBetween(0.12, 0.24);
    assertThat(share[3]).isBetween(0.10, 0.20);
    assertThat(share[0]).isGreaterThan(share[1]);
    assertThat(share[1]).isGreaterThan(share[2]);
    double accuracy = accuracy(run, labels);
    assertThat(accuracy).isCloseTo(meanTop, within(4 * Math.sqrt(0.25 / n)));
    assertThat(accuracy).isBetween(0.75, 0.86);
  }

  @Test
  void sameSeedGivesTheSameBytesAndTheOtherTasksKeepTheirs() {
    TrafficConfig config = TrafficConfig.of(spec, START, Duration.ofMinutes(10), 3, 9);
    List<String> first = TrafficGenerator.stream(config).map(TrafficEvent::json).toList();
    assertThat(TrafficGenerator.stream(config).map(TrafficEvent::json).toList()).isEqualTo(first);
    assertThat(TrafficGenerator.stream(TrafficConfig.of(spec, START, Duration.ofMinutes(10), 3, 10))
        .map(TrafficEvent::json).toList()).isNotEqualTo(first);
  }

  /** Predictions from 30 minutes in, when the drift of {@link #withAndWithout} starts. */
  static final Predicate<Prediction> LATE = p -> p.timestamp() >= START.plus(Duration.ofMinutes(30)).toEpochMilli();

  /**
   * An hour at 10 predictions a second of {@code seed}, with {@code injection} (at 30m) and without:
   * the same predictions, and the same labels of the predictions before the drift.
   */
  static Run[] withAndWithout(String injection, long seed) {
    Run drifted = run(TrafficConfig.of(spec, START, HOUR, 10, seed).withDrifts(List.of(drift(injection))));
    Run plain = run(TrafficConfig.of(spec, START, HOUR, 10, seed));
    assertThat(drifted.predictionJson()).isEqualTo(plain.predictionJson());
    assertThat(drifted.labelsOf(LATE.negate())).isEqualTo(plain.labelsOf(LATE.negate()));
    return new Run[] {drifted, plain};
  }

  @Test
  void decayLowersAccuracyAfterItsTimeOnlyAndKeepsTheClassMix() {
    Run[] runs = withAndWithout("performance@30m:decay=0.8", 3);
    Run decayed = runs[0];
    Run plain = runs[1];
    Predicate<Prediction> late = LATE;
    double before = accuracy(decayed, decayed.labelsOf(late.negate()));
    double after = accuracy(decayed, decayed.labelsOf(late));
    assertThat(before).isBetween(0.75, 0.86);
    assertThat(accuracy(plain, plain.labelsOf(late))).isCloseTo(before, within(0.03));
    // 20% of labels still follow the scores, 80% are right as often as the most frequent queue is drawn.
    assertThat(after).isLessThan(before - 0.25);
    double[] shareBefore = classShares(decayed.labelsOf(late.negate()));
    double[] shareAfter = classShares(decayed.labelsOf(late));
    for (int c = 0; c < shareBefore.length; c++) {
      assertThat(shareAfter[c]).as(QUEUES.get(c)).isCloseTo(shareBefore[c], within(0.05));
    }
  }

  @Test
  void labelMixReversesTheClassSharesAfterItsTimeWhileScoresStay() {
    Run mixed = withAndWithout("label@30m:mix", 4)[0];
    Predicate<Prediction> late = LATE;
    double[] before = classShares(mixed.labelsOf(late.negate()));
    double[] after = classShares(mixed.labelsOf(late));
    assertThat(before[0]).isGreaterThan(before[3] + 0.2);
    assertThat(after[3]).isGreaterThan(before[3] + 0.1);
    assertThat(after[0]).isLessThan(before[0] - 0.2);
  }

  @Test
  void featureDriftMovesTheFeatureAndTheScoresOnly() {
    Instant t = START.plus(Duration.ofMinutes(30));
    Run shifted = run(TrafficConfig.of(spec, START, HOUR, 5, 6).withDrifts(List.of(drift("body_length@30m:shift=2"))));
    Run plain = run(TrafficConfig.of(spec, START, HOUR, 5, 6));
    int body = 1;
    double shiftedMean = shifted.predictions().values().stream().filter(p -> p.timestamp() >= t.toEpochMilli())
        .mapToDouble(p -> p.numeric()[body]).average().orElseThrow();
    double plainMean = plain.predictions().values().stream().filter(p -> p.timestamp() >= t.toEpochMilli())
        .mapToDouble(p -> p.numeric()[body]).average().orElseThrow();
    double sd = Math.sqrt(plain.predictions().values().stream().mapToDouble(p -> Math.pow(p.numeric()[body] - plainMean, 2))
        .average().orElseThrow());
    assertThat(shiftedMean - plainMean).isCloseTo(2 * sd, within(0.2 * sd));
    long changed = shifted.predictions().values().stream()
        .filter(p -> p.timestamp() < t.toEpochMilli())
        .filter(p -> !java.util.Arrays.equals(p.classScores(), plain.predictions().get(p.predictionId()).classScores())).count();
    assertThat(changed).as("scores before the shift").isZero();
  }

  @Test
  void aMulticlassLabelTakesMixAndTheOthersTakeShift() {
    assertThat(drift("label@20m:mix"))
        .isEqualTo(new DriftInjection("label", START.plus(Duration.ofMinutes(20)), DriftInjection.Kind.MIX, Double.NaN));
    assertThatThrownBy(() -> drift("label@20m:shift=1")).isInstanceOf(InputException.class)
        .hasMessage("label of a multiclass model takes mix, got shift");
    MonitorSpec credit = MonitorSpecParser.load(Path.of("../examples/credit-default/monitor.yaml"));
    assertThatThrownBy(() -> DriftInjection.parse("label@20m:mix", credit, START, HOUR)).isInstanceOf(InputException.class)
        .hasMessage("label takes shift[=k], got mix");
  }
}
