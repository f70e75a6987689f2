package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.estimation.EstimatedMetric;
import dev.driftline.core.estimation.MulticlassEstimator;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.metrics.MulticlassMetrics;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.TopicSchemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-class model's performance estimated before labels by the drift job as production builds
 * it, on in-memory inputs. The model is calibrated: each label is drawn from the prediction's own
 * class probabilities, in the 3,000 reference rows the profile's class calibrations are fitted on
 * ({@code driftline baseline build}'s code) as in the stream. Six 10-minute windows; the labels of
 * the first three arrive a minute late, those of the last three never. Every window's estimated
 * document equals {@link MulticlassEstimator} on that window's decoded class probabilities, to the
 * bit; where labels came, the realized accuracy and macro F1 lie inside the estimate's 95 %
 * intervals; and a run with another parallelism, bundles and checkpoints writes the same documents.
 */
class MulticlassEstimationJobTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();
  @TempDir static Path dir;

  static final Instant START = Instant.parse("2026-11-16T00:00:00Z");
  static final long WINDOW = Duration.ofMinutes(10).toMillis();
  static final int WINDOWS = 6;
  static final int LABELLED_WINDOWS = 3;
  static final List<String> CLASSES = MulticlassJobTest.CLASSES;

  /** Informative class probabilities in thousandths (so that they sum to 1 in decimal), leaning to a random class. */
  static int[] thousandths(Random random) {
    int lean = random.nextInt(3);
    int[] t = new int[3];
    int left = 1000;
    for (int c = 0; c < 2; c++) {
      t[c] = Math.min(left, random.nextInt(350) + (c == lean ? 350 : 0));
      left -= t[c];
    }
    t[2] = left;
    return t;
  }

  /** A label drawn from the probabilities: the model is calibrated. */
  static int draw(Random random, int[] thousandths) {
    int u = random.nextInt(1000);
    return u < thousandths[0] ? 0 : u < thousandths[0] + thousandths[1] ? 1 : 2;
  }

  static BaselineFile profile(MonitorSpec spec, Random random) throws Exception {
    StringBuilder csv = new StringBuilder("weight,scores.apple,scores.banana,scores.cherry,label\n");
    for (int i = 0; i < 3_000; i++) {
      int[] t = thousandths(random);
      csv.append(100 + random.nextInt(20)).append(',').append(t[0] / 1000.0).append(',').append(t[1] / 1000.0)
          .append(',').append(t[2] / 1000.0).append(',').append(CLASSES.get(draw(random, t))).append('\n');
    }
    Path file = Files.writeString(dir.resolve("fruit-reference.csv"), csv);
    return BaselineBuilder.build(spec, CsvTable.read(file), START.minus(Duration.ofDays(1)));
  }

  @Test
  void estimatesEveryWindowAsTheEstimatorAndLabelsFallInsideTheIntervals(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    // Performance estimation is on by default: isotonic calibrations.
    MonitorSpec spec = MulticlassJobTest.spec();
    Random random = new Random(2026);
    BaselineFile profile = profile(spec, random);
    assertThat(profile.classCalibrations()).hasSize(3);
    Baseline baseline = Baseline.fromProfile(profile, spec);

    List<TrafficEvent> events = new ArrayList<>();
    Map<Long, List<double[]>> rows = new TreeMap<>();
    Map<Long, List<Integer>> labels = new TreeMap<>();
    PredictionDecoder decoder = new PredictionDecoder(new ModelRegistry(List.of(spec)));
    int n = 0;
    for (long ts = START.toEpochMilli(); ts < START.toEpochMilli() + WINDOWS * WINDOW; ts += 2_000, n++) {
      int[] t = thousandths(random);
      int label = draw(random, t);
      String id = "p" + n;
      ObjectNode prediction = MulticlassJobTest.prediction(id, ts, t, 100 + random.nextInt(20));
      events.add(new TrafficEvent(TrafficEvent.Type.PREDICTION, ts, "fruit", prediction));
      long window = ts / WINDOW * WINDOW;
      rows.computeIfAbsent(window, w -> new ArrayList<>())
          .add(decoder.decode(prediction.toString().getBytes(StandardCharsets.UTF_8)).value().classScores());
      if (window < START.toEpochMilli() + LABELLED_WINDOWS * WINDOW) {
        events.add(MulticlassJobTest.label(id, ts + 60_000, CLASSES.get(label)));
        labels.computeIfAbsent(window, w -> new ArrayList<>()).add(label);
      }
    }
    events.sort((a, b) -> Long.compare(a.ts(), b.ts()));

    Map<String, List<String>> outputs = InMemoryDriftRun.run(cluster, "multiclass-estimation",
        InMemoryDriftRun.Settings.defaults(), spec, Map.of("fruit", baseline), events);

    Map<String, JsonNode> estimated = new TreeMap<>();
    Map<String, JsonNode> last = new TreeMap<>();
    for (JsonNode r : InMemoryDriftRun.parsed(outputs.get("performance"))) {
      String start = r.get("window_start").asText();
      if (r.get("estimated").asBoolean()) {
        assertThat(estimated.put(start, r)).as("one estimate per window").isNull();
      } else {
        JsonNode before = last.get(start);
        if (before == null || before.get("labels_until").asText().compareTo(r.get("labels_until").asText()) < 0) {
          last.put(start, r);
        }
      }
      ObjectNode written = r.deepCopy();
      written.put("computed_at", "2026-11-16T02:00:00Z"); // the field the collected copy goes without
      assertThat(TopicSchemas.errors("performance/1", written)).as(r.toString()).isEmpty();
    }
    assertThat(estimated).hasSize(WINDOWS);
    assertThat(last).hasSize(WINDOWS);
    int inside = 0;
    for (Map.Entry<Long, List<double[]>> e : rows.entrySet()) {
      String start = Instant.ofEpochMilli(e.getKey()).toString();
      MulticlassEstimator.Estimate expected = MulticlassEstimator.estimate(e.getValue().toArray(double[][]::new),
          baseline.classCalibrations());
      JsonNode doc = estimated.get(start);
      assertThat(doc.get("predictions").asLong()).as(start).isEqualTo(e.getValue().size());
      assertThat(doc.get("labelled").asLong()).isZero();
      assertThat(doc.get("exact").asBoolean()).isTrue();
      assertThat(doc.get("accuracy").asDouble()).as(start).isEqualTo(expected.accuracy().value());
      assertThat(doc.get("macro_f1").asDouble()).as(start).isEqualTo(expected.macroF1().value());
      assertThat(doc.has("estimate")).as("the binary estimate's field").isFalse();
      assertThat(doc.has("positive_rate")).isFalse();
      JsonNode estimate = doc.get("multiclass_estimate");
      assertThat(estimate.get("reference_id").asText()).isEqualTo(profile.profileId());
      assertThat(estimate.get("calibration").asText()).isEqualTo("isotonic");
      assertThat(estimate.get("predictions").asLong()).isEqualTo(e.getValue().size());
      assertThat(interval(estimate.get("accuracy"))).as(start).isEqualTo(expected.accuracy());
      assertThat(interval(estimate.get("macro_f1"))).as(start).isEqualTo(expected.macroF1());

      JsonNode realized = last.get(start);
      assertThat(realized.get("multiclass_estimate")).as(start).isEqualTo(estimate);
      List<Integer> windowLabels = labels.get(e.getKey());
      if (windowLabels == null) {
        assertThat(realized.get("labelled").asLong()).as(start).isZero();
        assertThat(realized.has("accuracy")).isFalse();
        assertThat(realized.has("estimation_error")).isFalse();
        continue;
      }
      MulticlassMetrics m = MulticlassMetrics.of(e.getValue().toArray(double[][]::new),
          windowLabels.stream().mapToInt(Integer::intValue).toArray(), 3);
      assertThat(realized.get("labelled").asLong()).as(start).isEqualTo(e.getValue().size());
      assertThat(realized.get("accuracy").asDouble()).as(start).isEqualTo(m.accuracy());
      assertThat(realized.get("estimation_error").get("accuracy").asDouble()).as(start)
          .isEqualTo(m.accuracy() - expected.accuracy().value());
      assertThat(realized.get("estimation_error").get("macro_f1").asDouble()).as(start)
          .isEqualTo(m.macroF1() - expected.macroF1().value());
      assertThat(expected.accuracy().covers(m.accuracy())).as(start + " accuracy " + m.accuracy() + " in "
          + expected.accuracy()).isTrue();
      assertThat(expected.macroF1().covers(m.macroF1())).as(start + " macro F1 " + m.macroF1() + " in "
          + expected.macroF1()).isTrue();
      inside++;
    }
    assertThat(inside).isEqualTo(LABELLED_WINDOWS);

    // Another parallelism, bundles and checkpoints merge the windows' partial summaries otherwise: the same documents.
    Map<String, List<String>> again = InMemoryDriftRun.run(cluster, "multiclass-estimation-again",
        new InMemoryDriftRun.Settings(1, 7, 5, 500, 2), spec, Map.of("fruit", baseline), events);
    assertThat(again.get("performance")).isEqualTo(outputs.get("performance"));
  }

  static EstimatedMetric interval(JsonNode n) {
    return new EstimatedMetric(n.get("value").asDouble(), n.get("lower").asDouble(), n.get("upper").asDouble());
  }
}
