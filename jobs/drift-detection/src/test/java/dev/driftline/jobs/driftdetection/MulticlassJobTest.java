package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.FeatureBaseline;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.io.Json;
import dev.driftline.core.metrics.MulticlassMetrics;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.stats.ChiSquare;
import dev.driftline.core.stats.ChiSquareResult;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.TopicSchemas;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A three-class model through the drift job as production builds it, on in-memory inputs: class
 * probabilities in the predictions, class names in the labels (a minute late), the labels' mix
 * shifting half-way from the reference's 50/30/20 to 20/30/50. Each window's last performance
 * document equals {@link MulticlassMetrics} of that window's decoded records, and label drift
 * flags exactly the windows after the shift, with the chi-square of a batch recomputation.
 */
class MulticlassJobTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final Instant START = Instant.parse("2026-11-09T00:00:00Z");
  static final long WINDOW = Duration.ofMinutes(10).toMillis();
  static final int WINDOWS = 6;
  static final Instant SHIFT = START.plus(Duration.ofMinutes(30));
  static final List<String> CLASSES = List.of("apple", "banana", "cherry");

  static MonitorSpec spec() {
    return MonitorSpecParser.parse("fruit.yaml", String.join("\n",
        "model_id: fruit",
        "task: multiclass_classification",
        "classes: [apple, banana, cherry]",
        "labels: {max_delay: 30m}",
        "features:",
        "  - {name: weight, type: numeric}",
        "reference: {source: profile, path: fruit-profile.json}",
        // idle_timeout longer than the run: no partition is taken for idle, no prediction is late.
        "window: {size: 10m, max_out_of_orderness: 30s, idle_timeout: 5m}",
        "tests:",
        "  numeric: {ks: {alpha: 0.001}}",
        "  categorical: {chi2: {alpha: 0.001}}"));
  }

  /** A prediction of the fruit model: its weight and its class probabilities, in thousandths so that they sum to 1 in decimal. */
  static ObjectNode prediction(String id, long ts, int[] thousandths, double weight) {
    ObjectNode scores = Json.mapper().createObjectNode();
    for (int c = 0; c < 3; c++) {
      scores.put(CLASSES.get(c), thousandths[c] / 1000.0);
    }
    ObjectNode prediction = Json.mapper().createObjectNode().put("model_id", "fruit").put("prediction_id", id).put("ts", ts);
    prediction.putObject("features").put("weight", weight);
    prediction.set("scores", scores);
    prediction.put("score", Math.max(thousandths[0], Math.max(thousandths[1], thousandths[2])) / 1000.0);
    return prediction;
  }

  /** The label (a class name) of prediction {@code id}, at {@code ts}. */
  static TrafficEvent label(String id, long ts, String label) {
    return new TrafficEvent(TrafficEvent.Type.LABEL, ts, "fruit", Json.mapper().createObjectNode()
        .put("model_id", "fruit").put("prediction_id", id).put("ts", ts).put("label", label));
  }

  @Test
  void windowsEqualABatchRecomputationAndLabelDriftFindsTheShift(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    MonitorSpec spec = spec();
    Random random = new Random(25);
    List<TrafficEvent> events = new ArrayList<>();
    Map<Long, List<double[]>> rows = new TreeMap<>();
    Map<Long, List<Integer>> labels = new TreeMap<>();
    PredictionDecoder decoder = new PredictionDecoder(new ModelRegistry(List.of(spec)));
    int n = 0;
    for (long ts = START.toEpochMilli(); ts < START.toEpochMilli() + WINDOWS * WINDOW; ts += 2_000, n++) {
      boolean shifted = ts >= SHIFT.toEpochMilli();
      double u = random.nextDouble();
      int label = u < (shifted ? 0.2 : 0.5) ? 0 : u < (shifted ? 0.5 : 0.8) ? 1 : 2;
      // Informative but imperfect probabilities, in steps of 1/1000 that sum to 1 in decimal.
      int[] thousandths = new int[3];
      int left = 1000;
      for (int c = 0; c < 2; c++) {
        int bonus = c == label ? 300 : 0;
        thousandths[c] = Math.min(left, random.nextInt(400) + bonus);
        left -= thousandths[c];
      }
      thousandths[2] = left;
      String id = "p" + n;
      ObjectNode prediction = prediction(id, ts, thousandths, 100 + random.nextGaussian() * 10);
      events.add(new TrafficEvent(TrafficEvent.Type.PREDICTION, ts, "fruit", prediction));
      events.add(label(id, ts + 60_000, CLASSES.get(label)));
      Prediction decoded = decoder.decode(prediction.toString().getBytes(StandardCharsets.UTF_8)).value();
      long window = ts / WINDOW * WINDOW;
      rows.computeIfAbsent(window, w -> new ArrayList<>()).add(decoded.classScores());
      labels.computeIfAbsent(window, w -> new ArrayList<>()).add(label);
    }
    // Two bad records: a class the spec does not have, a label that is not a class.
    ObjectNode bad = Json.mapper().createObjectNode().put("model_id", "fruit").put("prediction_id", "bad")
        .put("ts", START.toEpochMilli() + 1);
    bad.putObject("features").put("weight", 100);
    bad.putObject("scores").put("apple", 0.5).put("banana", 0.25).put("date", 0.25);
    events.add(new TrafficEvent(TrafficEvent.Type.PREDICTION, START.toEpochMilli() + 1, "fruit", bad));
    events.add(new TrafficEvent(TrafficEvent.Type.LABEL, START.toEpochMilli() + 60_001, "fruit",
        Json.mapper().createObjectNode().put("model_id", "fruit").put("prediction_id", "p0")
            .put("ts", START.toEpochMilli() + 60_001).put("label", "date")));
    events.sort((a, b) -> Long.compare(a.ts(), b.ts()));
    BaselineFile profile = new BaselineFile(BaselineFile.FORMAT, "fruit-ref", "fruit", spec.specHash(),
        "2026-11-01T00:00:00Z", "fruit.csv", 1000, Map.of(), null,
        new FeatureBaseline("categorical", 1000, 0, null, Map.of("apple", 500L, "banana", 300L, "cherry", 200L)),
        null, null, null);

    Map<String, List<String>> outputs = InMemoryDriftRun.run(cluster, "multiclass", InMemoryDriftRun.Settings.defaults(),
        spec, Map.of("fruit", Baseline.fromProfile(profile, spec)), events);

    Map<String, JsonNode> last = new TreeMap<>();
    for (JsonNode r : InMemoryDriftRun.parsed(outputs.get("performance"))) {
      String at = r.get("labels_until").asText();
      JsonNode before = last.get(r.get("window_start").asText());
      if (before == null || before.get("labels_until").asText().compareTo(at) < 0) {
        last.put(r.get("window_start").asText(), r);
      }
    }
    assertThat(last).hasSize(WINDOWS);
    for (Map.Entry<Long, List<double[]>> e : rows.entrySet()) {
      String start = Instant.ofEpochMilli(e.getKey()).toString();
      JsonNode r = last.get(start);
      MulticlassMetrics m = MulticlassMetrics.of(e.getValue().toArray(double[][]::new),
          labels.get(e.getKey()).stream().mapToInt(Integer::intValue).toArray(), 3);
      assertThat(r.get("predictions").asLong()).as(start).isEqualTo(m.n());
      assertThat(r.get("labelled").asLong()).as(start).isEqualTo(m.n());
      assertThat(r.get("exact").asBoolean()).isTrue();
      assertThat(r.get("accuracy").asDouble()).as(start).isEqualTo(m.accuracy());
      assertThat(r.get("micro_f1").asDouble()).as(start).isEqualTo(m.micro());
      assertThat(r.get("macro_precision").asDouble()).as(start).isEqualTo(m.macroPrecision());
      assertThat(r.get("macro_recall").asDouble()).as(start).isEqualTo(m.macroRecall());
      assertThat(r.get("macro_f1").asDouble()).as(start).isEqualTo(m.macroF1());
      assertThat(r.get("weighted_precision").asDouble()).as(start).isEqualTo(m.weightedPrecision());
      assertThat(r.get("weighted_recall").asDouble()).as(start).isEqualTo(m.weightedRecall());
      assertThat(r.get("weighted_f1").asDouble()).as(start).isEqualTo(m.weightedF1());
      assertThat(r.get("macro_auc").asDouble()).as(start).isEqualTo(m.macroAuc());
      assertThat(r.get("log_loss").asDouble()).as(start).isCloseTo(m.logLoss(), within(1e-12));
      assertThat(r.get("auc_error_bound").asDouble()).isEqualTo(0.0);
      for (int c = 0; c < 3; c++) {
        assertThat(r.get("class_recall").get(CLASSES.get(c)).asDouble()).as(start).isEqualTo(m.recall()[c]);
      }
      assertThat(r.has("auc")).isFalse();
      assertThat(r.has("positive_rate")).isFalse();
    }

    Map<String, JsonNode> chi2 = new TreeMap<>();
    for (JsonNode r : InMemoryDriftRun.parsed(outputs.get("drift"))) {
      if (r.get("feature").asText().equals("__label__") && r.get("test").asText().equals("chi2")) {
        JsonNode before = chi2.get(r.get("window_start").asText());
        if (before == null || before.get("n_current").asLong() < r.get("n_current").asLong()) {
          chi2.put(r.get("window_start").asText(), r);
        }
      }
    }
    assertThat(chi2).hasSize(WINDOWS);
    Map<String, Long> reference = Map.of("apple", 500L, "banana", 300L, "cherry", 200L);
    for (Map.Entry<Long, List<Integer>> e : labels.entrySet()) {
      String start = Instant.ofEpochMilli(e.getKey()).toString();
      Map<String, Long> counts = new LinkedHashMap<>();
      CLASSES.forEach(c -> counts.put(c, 0L));
      e.getValue().forEach(l -> counts.merge(CLASSES.get(l), 1L, Long::sum));
      ChiSquareResult expected = ChiSquare.homogeneity(reference, counts);
      JsonNode r = chi2.get(start);
      assertThat(r.get("statistic").asDouble()).as(start).isEqualTo(expected.statistic());
      assertThat(r.get("p_value").asDouble()).as(start).isEqualTo(expected.pValue());
      assertThat(r.get("drift").asBoolean()).as(start).isEqualTo(!Instant.parse(start).isBefore(SHIFT));
    }

    assertThat(InMemoryDriftRun.parsed(outputs.get("dead-letters"))).extracting(d -> d.get("reason").asText())
        .containsExactlyInAnyOrder("scores.date: unknown class; expected one of apple|banana|cherry",
            "label: expected one of the classes apple|banana|cherry, got \"date\"");
    // Every input and output record is what its topic's schema describes.
    for (TrafficEvent e : events) {
      if (!e.body().get("prediction_id").asText().equals("bad")) {
        assertThat(TopicSchemas.errors(e.type() == TrafficEvent.Type.PREDICTION ? "prediction/1" : "label/1", e.body()))
            .as(e.json()).isEmpty();
      }
    }
    for (String output : List.of("performance", "labelled", "drift")) {
      String schema = Map.of("performance", "performance/1", "labelled", "labelled-prediction/1", "drift",
          "drift-result/1").get(output);
      for (JsonNode r : InMemoryDriftRun.parsed(outputs.get(output))) {
        ObjectNode written = r.deepCopy();
        if (!output.equals("labelled")) {
          written.put("computed_at", "2026-11-09T02:00:00Z"); // the field the collected copy goes without
        }
        assertThat(TopicSchemas.errors(schema, written)).as(output + ": " + r).isEmpty();
      }
    }
    // Labelled predictions carry the class probabilities and the class name.
    JsonNode first = InMemoryDriftRun.parsed(outputs.get("labelled")).stream()
        .filter(l -> l.get("prediction_id").asText().equals("p0")).findFirst().orElseThrow();
    assertThat(first.get("label_class").asText()).isEqualTo(CLASSES.get(labels.get(START.toEpochMilli()).get(0)));
    assertThat(first.get("label").asInt()).isEqualTo(labels.get(START.toEpochMilli()).get(0));
    assertThat(first.get("scores").size()).isEqualTo(3);
  }
}
