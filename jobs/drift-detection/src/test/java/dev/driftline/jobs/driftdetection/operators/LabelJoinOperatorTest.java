package dev.driftline.jobs.driftdetection.operators;

import static dev.driftline.jobs.driftdetection.operators.LabelJoinFunctionTest.DELAY;
import static dev.driftline.jobs.driftdetection.operators.LabelJoinFunctionTest.T0;
import static dev.driftline.jobs.driftdetection.operators.LabelJoinFunctionTest.label;
import static dev.driftline.jobs.driftdetection.operators.LabelJoinFunctionTest.prediction;
import static dev.driftline.jobs.driftdetection.operators.LabelJoinFunctionTest.side;
import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.events.Label;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.window.Outcome;
import dev.driftline.runtime.kafka.Sourced;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The join as the job runs it: one keyed pass per prediction (the duplicate check in the join's
 * state), the predictions' watermark for drift and the join's own, as progress records, for
 * performance.
 */
class LabelJoinOperatorTest {
  /** Model m of {@link LabelJoinFunctionTest} (labels.max_delay 10m) and u, without labels. */
  static final ModelRegistry MODELS = new ModelRegistry(List.of(
      LabelJoinFunctionTest.MODELS.get("m"),
      MonitorSpecParser.parse("u.yaml", String.join("\n",
          "model_id: u",
          "task: binary_classification",
          "labels: none",
          "features:",
          "  - {name: x, type: numeric}",
          "reference: {source: previous_window}",
          "window: {size: 1h}",
          ""))));

  static KeyedTwoInputStreamOperatorTestHarness<String, Prediction, Sourced<Label>, Outcome> harness() throws Exception {
    var h = new KeyedTwoInputStreamOperatorTestHarness<>(new LabelJoinOperator(new LabelJoinFunction(MODELS)),
        Prediction::predictionId, l -> l.value().predictionId(), Types.STRING);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    return h;
  }

  static void predict(KeyedTwoInputStreamOperatorTestHarness<String, Prediction, Sourced<Label>, Outcome> h, Prediction p) throws Exception {
    h.processElement1(new StreamRecord<>(p, p.timestamp()));
  }

  /** The main output in order: outcomes as they are, the operator's watermarks as "wm:<t>", progress records as "progress:<t>". */
  static List<String> output(KeyedTwoInputStreamOperatorTestHarness<String, Prediction, Sourced<Label>, Outcome> h) {
    List<String> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof Watermark w) {
        out.add("wm:" + w.getTimestamp());
      } else if (o instanceof StreamRecord<?> r && LabelJoinOperator.isProgress((Outcome) r.getValue())) {
        out.add("progress:" + ((Outcome) r.getValue()).predictionTimestamp());
      } else if (o instanceof StreamRecord<?> r) {
        Outcome outcome = (Outcome) r.getValue();
        out.add(outcome.predictionId() + (outcome.isLabelled() ? "=" + outcome.label() : ""));
      } else if (o instanceof WatermarkStatus s) {
        out.add(s.isIdle() ? "idle" : "active");
      }
    }
    h.getOutput().clear();
    return out;
  }

  static List<String> ids(List<Prediction> predictions) {
    return predictions.stream().map(Prediction::predictionId).toList();
  }

  @Test
  void aSecondPredictionOfAnIdIsADuplicateWhetherWaitingJoinedOrUnlabelled() throws Exception {
    try (var h = harness()) {
      h.open();
      predict(h, prediction("waiting", T0, 0.2));
      predict(h, prediction("joined", T0, 0.7));
      h.processElement2(new StreamRecord<>(LabelJoinFunctionTest.sourced(label("joined", T0 + 1_000, 1.0)), T0 + 1_000));
      Prediction unlabelled = new Prediction("u", "unlabelled", T0, null, "all", new double[] {1.0}, new String[1], 0.4, "0");
      predict(h, unlabelled);
      assertThat(ids(side(h, LabelJoinFunction.FIRST))).containsExactly("waiting", "joined", "unlabelled");
      assertThat(output(h)).containsExactly("waiting", "joined", "joined=1.0", "unlabelled");
      assertThat(side(h, LabelJoinFunction.LABELLED)).extracting(lp -> lp.prediction().predictionId()).containsExactly("joined");

      predict(h, prediction("waiting", T0 + 5, 0.9));
      predict(h, prediction("joined", T0 + 5, 0.9));
      predict(h, new Prediction("u", "unlabelled", T0 + 5, null, "all", new double[] {2.0}, new String[1], 0.6, "1"));
      assertThat(side(h, LabelJoinFunction.FIRST)).isEmpty();
      assertThat(output(h)).isEmpty();
      List<Prediction> duplicates = side(h, LabelJoinFunction.DUPLICATE_PREDICTIONS);
      assertThat(ids(duplicates)).containsExactly("waiting", "joined", "unlabelled");
      assertThat(duplicates.get(0).score()).as("the duplicate as it came, not the first").isEqualTo(0.9);
      // The first prediction is what joins its label.
      h.processElement2(new StreamRecord<>(LabelJoinFunctionTest.sourced(label("waiting", T0 + 2_000, 0.0)), T0 + 2_000));
      assertThat(output(h)).containsExactly("waiting=0.0");
      assertThat(side(h, LabelJoinFunction.LABELLED).get(0)).extracting(lp -> lp.prediction().score()).isEqualTo(0.2);
    }
  }

  @Test
  void driftGetsThePredictionsWatermarkAndPerformanceTheJoinsAsProgressRecords() throws Exception {
    try (var h = harness()) {
      h.open();
      predict(h, prediction("p-1", T0, 0.2));
      h.processWatermark1(new Watermark(T0 + 100));
      // Labels have not moved: the operator's watermark is the predictions', the join's has not moved.
      assertThat(output(h)).containsExactly("p-1", "wm:" + (T0 + 100));
      h.processWatermark2(new Watermark(T0 + 50));
      assertThat(output(h)).containsExactly("progress:" + (T0 + 50));
      h.processWatermark2(new Watermark(T0 + 500));
      assertThat(output(h)).containsExactly("progress:" + (T0 + 100));
      h.processWatermark1(new Watermark(T0 + 1_000));
      assertThat(output(h)).containsExactly("progress:" + (T0 + 500), "wm:" + (T0 + 1_000));

      // The join's expiries follow its own watermark: a label waits until the labels pass its deadline.
      Label early = label("never", T0 + 600, 1.0);
      h.processElement2(new StreamRecord<>(LabelJoinFunctionTest.sourced(early), early.timestamp()));
      h.processWatermark1(new Watermark(early.timestamp() + DELAY + 10));
      assertThat(side(h, LabelJoinFunction.UNMATCHED)).isEmpty();
      h.processWatermark2(new Watermark(early.timestamp() + DELAY));
      assertThat(side(h, LabelJoinFunction.UNMATCHED)).hasSize(1);
      assertThat(output(h)).containsExactly("wm:" + (early.timestamp() + DELAY + 10), "progress:" + (early.timestamp() + DELAY));
    }
  }

  @Test
  void idleLabelsLeaveTheJoinToThePredictionsAndIdlePredictionsIdleTheOperator() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processWatermarkStatus2(WatermarkStatus.IDLE);
      h.processWatermark1(new Watermark(T0));
      assertThat(output(h)).containsExactly("progress:" + T0, "wm:" + T0);
      h.processWatermarkStatus1(WatermarkStatus.IDLE);
      assertThat(output(h)).containsExactly("idle");
    }
  }

  @Test
  void whenThePredictionsEndFirstLabelsStillJoinBeforeTheJoinsProgressEnds() throws Exception {
    try (var h = harness()) {
      h.open();
      predict(h, prediction("p-1", T0, 0.2));
      h.processWatermark1(new Watermark(Long.MAX_VALUE));
      assertThat(output(h)).containsExactly("p-1", "wm:" + Long.MAX_VALUE);
      h.processElement2(new StreamRecord<>(LabelJoinFunctionTest.sourced(label("p-1", T0 + 1_000, 1.0)), T0 + 1_000));
      h.processWatermark2(new Watermark(Long.MAX_VALUE));
      assertThat(output(h)).containsExactly("p-1=1.0", "progress:" + Long.MAX_VALUE);
    }
  }

  @Test
  void idsAreKeptTwiceTheLongestDelayOfModelsWithLabelsOrTheLongestOfAllWhenNoneHasLabels() {
    assertThat(LabelJoinFunction.keep(MODELS)).isEqualTo(Duration.ofMinutes(20));
    assertThat(LabelJoinFunction.keep(LabelJoinFunctionTest.MODELS)).isEqualTo(Duration.ofMinutes(20));
    assertThat(LabelJoinFunction.keep(new ModelRegistry(List.of(MODELS.get("u"))))).isEqualTo(Duration.ofDays(7));
  }
}
