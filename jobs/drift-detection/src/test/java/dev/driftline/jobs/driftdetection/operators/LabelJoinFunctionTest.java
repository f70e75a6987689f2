package dev.driftline.jobs.driftdetection.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.events.Label;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.window.Outcome;
import dev.driftline.jobs.driftdetection.operators.LabelJoinFunction.LabelledPrediction;
import dev.driftline.runtime.kafka.RawRecord;
import dev.driftline.runtime.kafka.Sourced;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/** The label join on Flink's keyed two-input harness: outputs by id and value, expiry by watermark, timers kept. */
class LabelJoinFunctionTest {
  static final long MINUTE = 60_000;
  /** labels.max_delay of model m. */
  static final long DELAY = 10 * MINUTE;
  static final long T0 = 1_772_409_600_000L;
  static final ModelRegistry MODELS = new ModelRegistry(List.of(MonitorSpecParser.parse("m.yaml", String.join("\n",
      "model_id: m",
      "task: binary_classification",
      "labels: {max_delay: 10m}",
      "features:",
      "  - {name: x, type: numeric}",
      "reference: {source: previous_window}",
      "window: {size: 1h}",
      ""))));

  static KeyedTwoInputStreamOperatorTestHarness<String, Prediction, Sourced<Label>, Outcome> harness(boolean rocksdb) throws Exception {
    var h = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new LabelJoinFunction(MODELS)),
        Prediction::predictionId, l -> l.value().predictionId(), Types.STRING);
    if (rocksdb) {
      h.setStateBackend(new EmbeddedRocksDBStateBackend());
    }
    return h;
  }

  static Prediction prediction(String id, long ts, double score) {
    return new Prediction("m", id, ts, "e-" + id, "all", new double[] {score * 10}, new String[0], score, score >= 0.5 ? "1" : "0");
  }

  static Label label(String id, long ts, double value) {
    return new Label("m", id, ts, value);
  }

  static void predict(KeyedTwoInputStreamOperatorTestHarness<String, Prediction, Sourced<Label>, Outcome> h, Prediction p) throws Exception {
    h.processElement1(new StreamRecord<>(p, p.timestamp()));
  }

  static void label(KeyedTwoInputStreamOperatorTestHarness<String, Prediction, Sourced<Label>, Outcome> h, Label l) throws Exception {
    h.processElement2(new StreamRecord<>(sourced(l), l.timestamp()));
  }

  /** The label as read from partition 1 of topic labels, at an offset of its own, with its JSON as the value. */
  static Sourced<Label> sourced(Label l) {
    String json = "{\"model_id\":\"m\",\"prediction_id\":\"" + l.predictionId() + "\",\"ts\":" + l.timestamp()
        + ",\"label\":" + l.value() + "}";
    return new Sourced<>(l, new RawRecord("labels", 1, offset(l), l.timestamp(), l.predictionId().getBytes(StandardCharsets.UTF_8),
        json.getBytes(StandardCharsets.UTF_8), "label/1"));
  }

  static long offset(Label l) {
    return 1_000 + Math.floorMod(l.timestamp(), 100_000L);
  }

  /** The labels of a side output of labels (unmatched, duplicate); the output is then emptied. */
  static List<Label> labels(KeyedTwoInputStreamOperatorTestHarness<String, Prediction, Sourced<Label>, Outcome> h,
      OutputTag<Sourced<Label>> tag) {
    return side(h, tag).stream().map(Sourced::value).toList();
  }

  static void watermark(KeyedTwoInputStreamOperatorTestHarness<String, Prediction, Sourced<Label>, Outcome> h, long t) throws Exception {
    h.processBothWatermarks(new Watermark(t));
  }

  /** The main output's outcomes, in order, watermarks left out; the output is then emptied. */
  static List<Outcome> outcomes(KeyedTwoInputStreamOperatorTestHarness<String, Prediction, Sourced<Label>, Outcome> h) {
    List<Outcome> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        out.add((Outcome) r.getValue());
      }
    }
    h.getOutput().clear();
    return out;
  }

  static <T> List<T> side(KeyedTwoInputStreamOperatorTestHarness<String, Prediction, Sourced<Label>, Outcome> h, OutputTag<T> tag) {
    List<T> out = new ArrayList<>();
    Queue<StreamRecord<T>> q = h.getSideOutput(tag);
    if (q != null) {
      q.forEach(r -> out.add(r.getValue()));
      q.clear();
    }
    return out;
  }

  static Outcome announced(Prediction p, double label) {
    return new Outcome("m", "all", p.predictionId(), p.timestamp(), p.score(), label, true);
  }

  @Test
  void predictionsRegisterNoTimerAndExpireWithoutOutput() throws Exception {
    try (var h = harness(false)) {
      h.open();
      List<Outcome> expected = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        Prediction p = prediction("p-" + i, T0 + i, (i % 100) / 100.0);
        predict(h, p);
        expected.add(announced(p, Double.NaN));
      }
      assertThat(h.numEventTimeTimers()).isZero();
      assertThat(h.numKeyedStateEntries()).isEqualTo(10_000);
      assertThat(outcomes(h)).containsExactlyElementsOf(expected);

      watermark(h, T0 + 9_999 + DELAY);
      assertThat(outcomes(h)).isEmpty();
      assertThat(labels(h, LabelJoinFunction.UNMATCHED)).isEmpty();
      // Expired: its label no longer meets it, waits, and becomes an unmatched dead letter at its own deadline.
      Label late = label("p-7", T0 + DELAY + 60_000, 1.0);
      label(h, late);
      assertThat(outcomes(h)).isEmpty();
      assertThat(h.numEventTimeTimers()).isEqualTo(1);
      watermark(h, late.timestamp() + DELAY - 1);
      assertThat(labels(h, LabelJoinFunction.UNMATCHED)).isEmpty();
      watermark(h, late.timestamp() + DELAY);
      assertThat(labels(h, LabelJoinFunction.UNMATCHED)).containsExactly(late);
      assertThat(side(h, LabelJoinFunction.LABELLED)).isEmpty();
      assertThat(h.numEventTimeTimers()).isZero();
    }
  }

  @Test
  void labelAfterItsPredictionJoinsOnceAndASecondLabelIsADuplicate() throws Exception {
    try (var h = harness(false)) {
      h.open();
      Prediction p = prediction("p-1", T0, 0.8);
      predict(h, p);
      Label l = label("p-1", T0 + 30_000, 1.0);
      label(h, l);
      assertThat(outcomes(h)).containsExactly(announced(p, Double.NaN),
          new Outcome("m", "all", "p-1", T0, 0.8, 1.0, false, T0 + 30_000));
      List<LabelledPrediction> labelled = side(h, LabelJoinFunction.LABELLED);
      assertThat(labelled).hasSize(1);
      assertThat(labelled.get(0).prediction()).usingRecursiveComparison().isEqualTo(p);
      assertThat(labelled.get(0).label()).isEqualTo(1.0);
      assertThat(labelled.get(0).labelTimestamp()).isEqualTo(T0 + 30_000);

      Label again = label("p-1", T0 + 40_000, 0.0);
      label(h, again);
      assertThat(labels(h, LabelJoinFunction.DUPLICATE)).containsExactly(again);
      assertThat(outcomes(h)).isEmpty();
      assertThat(h.numEventTimeTimers()).isZero();
      watermark(h, Long.MAX_VALUE);
      assertThat(labels(h, LabelJoinFunction.UNMATCHED)).isEmpty();
    }
  }

  @Test
  void labelsBeforeTheirPredictionsWaitWithOneTimerEachUntilTheyCome() throws Exception {
    try (var h = harness(false)) {
      h.open();
      for (int i = 0; i < 1_000; i++) {
        label(h, label("p-" + i, T0 + i, i % 2));
      }
      assertThat(h.numEventTimeTimers()).isEqualTo(1_000);
      List<Outcome> expected = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        Prediction p = prediction("p-" + i, T0 + i - 5_000, 0.3);
        predict(h, p);
        expected.add(new Outcome("m", "all", p.predictionId(), p.timestamp(), p.score(), i % 2, true, T0 + i));
      }
      assertThat(h.numEventTimeTimers()).as("a timer is deleted when its label's prediction comes").isZero();
      assertThat(outcomes(h)).containsExactlyElementsOf(expected);
      assertThat(side(h, LabelJoinFunction.LABELLED)).hasSize(1_000);
      Label again = label("p-3", T0 + 60_000, 1.0);
      label(h, again);
      assertThat(labels(h, LabelJoinFunction.DUPLICATE)).containsExactly(again);
      watermark(h, Long.MAX_VALUE);
      assertThat(labels(h, LabelJoinFunction.UNMATCHED)).isEmpty();
    }
  }

  @Test
  void aLabelWithoutPredictionIsADeadLetterAtTheWatermarkOfItsDeadline() throws Exception {
    try (var h = harness(false)) {
      h.open();
      Label first = label("p-1", T0, 1.0);
      Label second = label("p-2", T0 + MINUTE, 0.0);
      label(h, first);
      label(h, second);
      Label repeated = label("p-1", T0 + 1, 0.0);
      label(h, repeated);
      assertThat(labels(h, LabelJoinFunction.DUPLICATE)).containsExactly(repeated);
      watermark(h, T0 + DELAY - 1);
      assertThat(labels(h, LabelJoinFunction.UNMATCHED)).isEmpty();
      watermark(h, T0 + DELAY);
      assertThat(labels(h, LabelJoinFunction.UNMATCHED)).containsExactly(first);
      // Its prediction now comes too late to meet it, like any prediction without a label.
      Prediction p1 = prediction("p-1", T0 + 2 * MINUTE, 0.4);
      predict(h, p1);
      assertThat(outcomes(h)).containsExactly(announced(p1, Double.NaN));
      watermark(h, T0 + MINUTE + DELAY);
      assertThat(labels(h, LabelJoinFunction.UNMATCHED)).containsExactly(second);
      assertThat(h.numEventTimeTimers()).isZero();
    }
  }

  @Test
  void theJoinedMarkEndsAtThePredictionsDeadlineThenALabelWaitsAgain() throws Exception {
    try (var h = harness(false)) {
      h.open();
      Prediction p = prediction("p-1", T0, 0.9);
      predict(h, p);
      label(h, label("p-1", T0 + 1_000, 1.0));
      Label beforeEnd = label("p-1", T0 + 2_000, 1.0);
      watermark(h, T0 + DELAY - 1);
      label(h, beforeEnd);
      assertThat(labels(h, LabelJoinFunction.DUPLICATE)).containsExactly(beforeEnd);
      watermark(h, T0 + DELAY);
      Label afterEnd = label("p-1", T0 + DELAY + 5, 0.0);
      label(h, afterEnd);
      assertThat(labels(h, LabelJoinFunction.DUPLICATE)).isEmpty();
      assertThat(h.numEventTimeTimers()).isEqualTo(1);
      watermark(h, T0 + 2 * DELAY + 5);
      assertThat(labels(h, LabelJoinFunction.UNMATCHED)).containsExactly(afterEnd);
    }
  }

  @Test
  void aPredictionLaterThanItsDelayStillMeetsALabelUntilTheNextWatermark() throws Exception {
    try (var h = harness(false)) {
      h.open();
      watermark(h, T0 + 2 * DELAY);
      Prediction p = prediction("p-1", T0, 0.2);
      predict(h, p);
      Label l = label("p-1", T0 + 1, 0.0);
      label(h, l);
      assertThat(outcomes(h)).containsExactly(announced(p, Double.NaN), new Outcome("m", "all", "p-1", T0, 0.2, 0.0, false, T0 + 1));
      watermark(h, T0 + 2 * DELAY + 1);
      Prediction q = prediction("p-2", T0, 0.2);
      predict(h, q);
      watermark(h, T0 + 2 * DELAY + 2);
      Label tooLate = label("p-2", T0 + 1, 1.0);
      label(h, tooLate);
      assertThat(outcomes(h)).containsExactly(announced(q, Double.NaN));
      watermark(h, Long.MAX_VALUE);
      assertThat(labels(h, LabelJoinFunction.UNMATCHED)).containsExactly(tooLate);
    }
  }

  /** Whether the two meet is decided on their event times alone, not on how far the watermark has come. */
  @Test
  void aLabelAndAPredictionFurtherApartThanTheDelayNeverJoinWhateverTheWatermark() throws Exception {
    try (var h = harness(false)) {
      h.open();
      Label early = label("p-1", T0, 1.0);
      label(h, early);
      Prediction late = prediction("p-1", T0 + DELAY + 1, 0.4);
      predict(h, late);
      Prediction p = prediction("p-2", T0, 0.6);
      predict(h, p);
      Label tooLate = label("p-2", T0 + DELAY + 1, 0.0);
      label(h, tooLate);
      assertThat(outcomes(h)).containsExactly(announced(late, Double.NaN), announced(p, Double.NaN));
      assertThat(side(h, LabelJoinFunction.LABELLED)).isEmpty();
      assertThat(labels(h, LabelJoinFunction.DUPLICATE)).isEmpty();
      watermark(h, Long.MAX_VALUE);
      assertThat(labels(h, LabelJoinFunction.UNMATCHED)).containsExactly(early, tooLate);
    }
  }

  @Test
  void waitingPredictionsLabelsAndTimersSurviveASnapshotOnRocksDb() throws Exception {
    OperatorSubtaskState snapshot;
    Prediction p = prediction("p-1", T0, 0.7);
    Label early = label("p-2", T0, 1.0);
    try (var h = harness(true)) {
      h.open();
      predict(h, p);
      label(h, early);
      snapshot = h.snapshot(1, T0);
    }
    try (var h = harness(true)) {
      h.initializeState(snapshot);
      h.open();
      assertThat(h.numEventTimeTimers()).isEqualTo(1);
      label(h, label("p-1", T0 + 1_000, 0.0));
      assertThat(outcomes(h)).containsExactly(new Outcome("m", "all", "p-1", T0, 0.7, 0.0, false, T0 + 1_000));
      assertThat(side(h, LabelJoinFunction.LABELLED)).extracting(lp -> lp.prediction().predictionId() + "=" + lp.label())
          .containsExactly("p-1=0.0");
      watermark(h, T0 + DELAY);
      // The waiting label's source record came back from RocksDB with it: its dead letter keeps the original.
      List<Sourced<Label>> unmatched = side(h, LabelJoinFunction.UNMATCHED);
      assertThat(unmatched).extracting(Sourced::value).containsExactly(early);
      RawRecord sent = sourced(early).source();
      RawRecord kept = unmatched.get(0).source();
      assertThat(List.of(kept.topic(), kept.partition(), kept.offset(), kept.timestamp(), kept.schema()))
          .containsExactly("labels", 1, offset(early), T0, "label/1");
      assertThat(kept.key()).isEqualTo(sent.key());
      assertThat(kept.value()).isEqualTo(sent.value());
    }
  }
}
