package dev.driftline.jobs.driftdetection.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.window.CountWindow;
import dev.driftline.jobs.driftdetection.state.ClosedWindow;
import dev.driftline.runtime.deadletter.DeadLetter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CountWindowFunctionTest {
  static final MonitorSpec SPEC = MonitorSpecParser.parse("m.yaml", String.join("\n",
      "model_id: churn",
      "task: binary_classification",
      "features:",
      "  - {name: tenure, type: numeric}",
      "  - {name: plan, type: categorical}",
      "reference: {source: previous_window}",
      "window: {type: count, count: 3}"));
  static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  /** A window as compared here: sequence, bounds, and its scores in ascending order. */
  record Seen(String key, long sequence, long start, long end, List<Double> scores) {
    static Seen of(ClosedWindow w) {
      double[] scores = w.summary().numeric(2).values();
      return new Seen(w.key(), w.sequence(), w.start(), w.end(), Arrays.stream(scores).boxed().toList());
    }
  }

  /** 14 predictions over 100 ms, four sharing a millisecond, so the prediction id breaks ties. */
  static List<Prediction> predictions() {
    long[] offsets = {0, 5, 5, 5, 5, 17, 30, 30, 48, 61, 62, 77, 90, 99};
    List<Prediction> out = new ArrayList<>();
    for (int i = 0; i < offsets.length; i++) {
      out.add(new Prediction("churn", "p" + (char) ('n' - i), T0 + offsets[i], null, "__all__",
          new double[] {i, Double.NaN}, new String[] {null, "basic"}, i / 100.0, null));
    }
    return out;
  }

  static KeyedOneInputStreamOperatorTestHarness<String, Prediction, ClosedWindow> harness() throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, Prediction, ClosedWindow> h = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new CountWindowFunction(new ModelRegistry(List.of(SPEC)))),
        p -> SegmentFanOut.key(p.modelId(), p.segment()), Types.STRING);
    h.open();
    return h;
  }

  /** Feeds the predictions shuffled with {@code seed}, a watermark after each prediction of at least {@code until}. */
  static List<Seen> run(long seed, long... watermarks) throws Exception {
    try (var h = harness()) {
      List<Prediction> all = predictions();
      int from = 0;
      long[] marks = Arrays.copyOf(watermarks, watermarks.length + 1);
      marks[watermarks.length] = Long.MAX_VALUE;
      for (long mark : marks) {
        List<Prediction> chunk = new ArrayList<>();
        for (Prediction p : all) {
          if (p.timestamp() <= mark && p.timestamp() > (from == 0 ? Long.MIN_VALUE : marks[from - 1])) {
            chunk.add(p);
          }
        }
        Collections.shuffle(chunk, new Random(seed));
        for (Prediction p : chunk) {
          h.processElement(new StreamRecord<>(p, p.timestamp()));
        }
        h.processWatermark(new Watermark(mark));
        from++;
      }
      assertThat(h.getSideOutput(CountWindowFunction.LATE)).isNull();
      return h.extractOutputValues().stream().map(Seen::of).toList();
    }
  }

  @Test
  void sameWindowsForTwoArrivalOrdersAndWatermarkSchedules() throws Exception {
    List<Seen> once = run(1, T0 + 29, T0 + 61);
    List<Seen> again = run(2, T0 + 5);

    // Batch recomputation: sorted by (ts, id), cut every 3. Ids run from pn (offset 0) down to pa
    // (offset 99), so at offset 5 the order is pj, pk, pl, pm (scores 0.04, 0.03, 0.02, 0.01).
    assertThat(once).containsExactly(
        new Seen("churn|__all__", 0, T0, T0 + 6, List.of(0.0, 0.03, 0.04)),
        new Seen("churn|__all__", 1, T0 + 5, T0 + 18, List.of(0.01, 0.02, 0.05)),
        new Seen("churn|__all__", 2, T0 + 30, T0 + 49, List.of(0.06, 0.07, 0.08)),
        new Seen("churn|__all__", 3, T0 + 61, T0 + 78, List.of(0.09, 0.1, 0.11)));
    assertThat(again).isEqualTo(once);
    List<Prediction> sorted = new ArrayList<>(predictions());
    sorted.sort(CountWindow.ORDER);
    for (int k = 0; k < once.size(); k++) {
      assertThat(once.get(k).start()).isEqualTo(sorted.get(3 * k).timestamp());
      assertThat(once.get(k).end()).isEqualTo(sorted.get(3 * k + 2).timestamp() + 1);
    }
  }

  @Test
  void dropsAPredictionBehindTheWatermarkToDeadLetters() throws Exception {
    try (var h = harness()) {
      for (Prediction p : predictions().subList(0, 4)) {
        h.processElement(new StreamRecord<>(p, p.timestamp()));
      }
      h.processWatermark(new Watermark(T0 + 5));
      Prediction late = new Prediction("churn", "late", T0 + 5, null, "__all__", new double[] {1, Double.NaN},
          new String[] {null, "pro"}, 0.5, null);
      h.processElement(new StreamRecord<>(late, late.timestamp()));
      h.processWatermark(new Watermark(Long.MAX_VALUE));

      assertThat(h.extractOutputValues()).extracting(ClosedWindow::sequence).containsExactly(0L);
      List<DeadLetter> dead = h.getSideOutput(CountWindowFunction.LATE).stream().map(StreamRecord::getValue).toList();
      assertThat(dead).extracting(DeadLetter::stage).containsExactly("window:predictions");
      assertThat(dead.get(0).reason()).isEqualTo("ts: prediction \"late\" at 2026-01-01T00:00:00.005Z arrived after"
          + " the watermark 2026-01-01T00:00:00.005Z of segment __all__'s count windows; expected at most"
          + " window.max_out_of_orderness (PT30S) behind the newest prediction");
    }
  }
}
