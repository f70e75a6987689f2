package dev.driftline.core.window;

import static dev.driftline.core.Fixtures.doubles;
import static dev.driftline.core.Fixtures.ints;
import static dev.driftline.core.Fixtures.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.Fixtures;
import dev.driftline.core.baseline.FeatureBaseline;
import dev.driftline.core.io.Json;
import dev.driftline.core.metrics.MulticlassMetrics;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MulticlassWindowTest {
  static MonitorSpec spec(int k) {
    String classes = String.join(", ", IntStream.range(0, k).mapToObj(c -> "c" + c).toList());
    return MonitorSpecParser.parse("m.yaml", String.join("\n",
        "model_id: m",
        "task: multiclass_classification",
        "classes: [" + classes + "]",
        "features:",
        "  - {name: x, type: numeric}",
        "reference: {source: profile, path: p.json}",
        "window: {size: 1h}"));
  }

  static Outcome labelled(double[] p, int label) {
    return new Outcome("m", "__all__", "p", 0, 0, label, true, Long.MIN_VALUE, p);
  }

  static Stream<Arguments> fixtures() {
    return Fixtures.cases("multiclass_metrics.json");
  }

  /** Windows of the fixture's examples, shuffled and split in three merged partials, equal scikit-learn's numbers. */
  @ParameterizedTest
  @MethodSource("fixtures")
  void metricsEqualScikitLearnWhateverTheOrderAndMerges(JsonNode c) {
    int k = c.get("classes").asInt();
    MonitorSpec spec = spec(k);
    JsonNode rows = c.get("probabilities");
    int[] labels = ints(c.get("labels"));
    List<Integer> order = new ArrayList<>(IntStream.range(0, labels.length).boxed().toList());
    Collections.shuffle(order, new Random(7));
    PerformanceWindow[] parts = {PerformanceWindow.of(spec), PerformanceWindow.of(spec), PerformanceWindow.of(spec)};
    for (int j = 0; j < order.size(); j++) {
      int i = order.get(j);
      parts[j % 3].add(labelled(doubles(rows.get(i)), labels[i]));
    }
    parts[2].merge(parts[0]);
    parts[2].merge(parts[1]);
    PerformanceResult r = parts[2].result(spec, "__all__", 0, 3_600_000, 0);

    assertThat(r.labelled()).isEqualTo(labels.length);
    assertThat(r.exact()).isTrue();
    assertThat(r.aucErrorBound()).isEqualTo(0.0);
    assertThat(r.accuracy()).isCloseTo(c.get("accuracy").asDouble(), within(1e-12));
    assertThat(r.metricFields().get("micro_f1")).isCloseTo(c.get("micro").get(2).asDouble(), within(1e-12));
    assertThat(r.metricFields().get("macro_precision")).isCloseTo(c.get("macro").get(0).asDouble(), within(1e-12));
    assertThat(r.metricFields().get("macro_recall")).isCloseTo(c.get("macro").get(1).asDouble(), within(1e-12));
    assertThat(r.metricFields().get("macro_f1")).isCloseTo(c.get("macro").get(2).asDouble(), within(1e-12));
    assertThat(r.metricFields().get("weighted_precision")).isCloseTo(c.get("weighted").get(0).asDouble(), within(1e-12));
    assertThat(r.metricFields().get("weighted_recall")).isCloseTo(c.get("weighted").get(1).asDouble(), within(1e-12));
    assertThat(r.metricFields().get("weighted_f1")).isCloseTo(c.get("weighted").get(2).asDouble(), within(1e-12));
    assertThat(r.logLoss()).isCloseTo(c.get("log_loss").asDouble(), within(1e-12));
    assertThat(r.metricFields().get("macro_auc")).isCloseTo(c.get("macro_auc").asDouble(), within(1e-12));
    double[] recall = doubles(c.get("recall"));
    for (int cls = 0; cls < k; cls++) {
      assertThat(r.classRecall().get("c" + cls)).as("recall of c%d", cls).isCloseTo(recall[cls], within(1e-12));
    }
    assertThat(r.classRecall().keySet()).containsExactlyElementsOf(spec.classes());
    // binary and regression metrics are absent, not null
    assertThat(r.metricFields()).doesNotContainKeys("precision", "recall", "f1", "auc", "brier", "mae", "rmse");
    assertThat(r.positiveRate()).isNull();
    assertThat(Double.isNaN(num(c.get("macro_auc")))).isFalse();
  }

  @Test
  void pastThePairLimitTheMacroAucIsWithinItsBoundAndTheRestStaysExact() throws IOException {
    MonitorSpec spec = spec(4);
    Random random = new Random(11);
    int n = 3 * PerformanceWindow.PAIR_LIMIT;
    double[][] p = new double[n][];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(4);
      double[] row = new double[4];
      double sum = 0;
      for (int c = 0; c < 4; c++) {
        row[c] = random.nextDouble() + (c == labels[i] ? 0.8 : 0);
        sum += row[c];
      }
      for (int c = 0; c < 4; c++) {
        row[c] /= sum;
      }
      p[i] = row;
    }
    MulticlassMetrics exact = MulticlassMetrics.of(p, labels, 4);
    PerformanceWindow forward = PerformanceWindow.of(spec);
    PerformanceWindow a = PerformanceWindow.of(spec);
    PerformanceWindow b = PerformanceWindow.of(spec);
    for (int i = 0; i < n; i++) {
      forward.add(labelled(p[i], labels[i]));
      (i % 2 == 0 ? a : b).add(labelled(p[n - 1 - i], labels[n - 1 - i]));
    }
    b.merge(a);
    PerformanceResult r = forward.result(spec, "__all__", 0, 1, 0);

    assertThat(r.exact()).isFalse();
    assertThat(r.aucErrorBound()).isPositive().isLessThan(0.001);
    assertThat(Math.abs(r.metricFields().get("macro_auc") - exact.macroAuc())).isLessThanOrEqualTo(r.aucErrorBound());
    assertThat(r.accuracy()).isEqualTo(exact.accuracy());
    assertThat(r.metricFields().get("macro_f1")).isCloseTo(exact.macroF1(), within(1e-12));
    assertThat(r.logLoss()).isCloseTo(exact.logLoss(), within(1e-12));
    // another order and split gives the same document, bit for bit
    assertThat(Json.mapper().writeValueAsString(b.result(spec, "__all__", 0, 1, 0)))
        .isEqualTo(Json.mapper().writeValueAsString(r));
    // and so does the window after a round trip through its bytes
    assertThat(Json.mapper().writeValueAsString(roundTrip(b).result(spec, "__all__", 0, 1, 0)))
        .isEqualTo(Json.mapper().writeValueAsString(r));
  }

  @Test
  void aWindowWithPairsRoundTripsThroughItsBytes() throws IOException {
    MonitorSpec spec = spec(3);
    PerformanceWindow w = PerformanceWindow.of(spec);
    w.add(labelled(new double[] {0.7, 0.2, 0.1}, 0));
    w.add(labelled(new double[] {0.1, 0.3, 0.6}, 1));
    w.add(new Outcome("m", "__all__", "p", 0, 0.5, Double.NaN, true, Long.MIN_VALUE, new double[] {0.5, 0.25, 0.25}));
    PerformanceWindow back = roundTrip(w);

    assertThat(back.predictions()).isEqualTo(3);
    assertThat(back.labelled()).isEqualTo(2);
    assertThat(back.multiclass().confusion()).isDeepEqualTo(new long[][] {{1, 0, 0}, {0, 0, 1}, {0, 0, 0}});
    assertThat(Json.mapper().writeValueAsString(back.result(spec, "__all__", 0, 1, 0)))
        .isEqualTo(Json.mapper().writeValueAsString(w.result(spec, "__all__", 0, 1, 0)));
    // The document reads back (as the retrain-trigger job reads it) with its metrics and class recall.
    PerformanceResult r = w.result(spec, "__all__", 0, 1, 0);
    PerformanceResult read = Json.mapper().readValue(Json.mapper().writeValueAsString(r), PerformanceResult.class);
    assertThat(read.metricFields()).isEqualTo(r.metricFields()).containsEntry("macro_recall", 1.0 / 3);
    assertThat(read.classRecall()).containsExactly(Map.entry("c0", 1.0), Map.entry("c1", 0.0), Map.entry("c2", 0.0));
    assertThat(back.labelCounts(spec.classes())).containsExactly(Map.entry("c0", 1L), Map.entry("c1", 1L),
        Map.entry("c2", 0L));
  }

  @Test
  void aShiftInTheClassesIsLabelDriftByChiSquare() {
    MonitorSpec spec = spec(3);
    Baseline baseline = Baseline.fromProfile(LabelDriftTest.profile(
        new FeatureBaseline("categorical", 1000, 0, null, Map.of("c0", 500L, "c1", 300L, "c2", 200L))), spec);
    PerformanceWindow shifted = PerformanceWindow.of(spec);
    PerformanceWindow same = PerformanceWindow.of(spec);
    int[][] counts = {{20, 30, 50}, {50, 30, 20}};
    PerformanceWindow[] windows = {shifted, same};
    for (int w = 0; w < 2; w++) {
      for (int cls = 0; cls < 3; cls++) {
        for (int i = 0; i < counts[w][cls]; i++) {
          double[] p = {0.2, 0.2, 0.2};
          p[cls] = 0.6;
          windows[w].add(labelled(p, cls));
        }
      }
    }
    DriftResult chi2 = LabelDrift.results(spec, "__all__", 0, 3_600_000, baseline, shifted, 5_000).get(0);
    DriftResult none = LabelDrift.results(spec, "__all__", 0, 3_600_000, baseline, same, 5_000).get(0);

    // scipy.stats.chi2_contingency([[500, 300, 200], [20, 30, 50]], correction=False) -> (53.307692307692314, 2.6569396743094714e-12)
    assertThat(chi2.test()).isEqualTo("chi2");
    assertThat(chi2.statistic()).isCloseTo(53.307692307692314, within(1e-9));
    assertThat(chi2.pValue()).isCloseTo(2.6569396743094714e-12, within(1e-20));
    assertThat(chi2.drift()).isTrue();
    assertThat(chi2.feature()).isEqualTo(DriftResult.LABEL_FEATURE);
    // ... [50, 30, 20] -> (0.0, 1.0)
    assertThat(none.statistic()).isCloseTo(0.0, within(1e-12));
    assertThat(none.drift()).isFalse();
    // A profile's label category that is not a class is refused, in one line.
    assertThatThrownBy(() -> dev.driftline.core.baseline.BaselineFiles.checkLabel(LabelDriftTest.profile(
        new FeatureBaseline("categorical", 1000, 0, null, Map.of("c0", 500L, "date", 500L))), "p.json", spec))
        .hasMessage("p.json: label.categories.date: expected one of the classes c0|c1|c2, got \"date\"");
  }

  static PerformanceWindow roundTrip(PerformanceWindow w) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    w.write(new DataOutputStream(bytes));
    return PerformanceWindow.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }
}
