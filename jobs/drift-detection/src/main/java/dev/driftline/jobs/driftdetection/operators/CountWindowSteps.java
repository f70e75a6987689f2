package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.window.CountWindow;
import dev.driftline.jobs.driftdetection.state.ClosedWindow;
import dev.driftline.jobs.driftdetection.state.PredictionSerializer;
import dev.driftline.jobs.driftdetection.state.SummaryAccumulator;
import dev.driftline.runtime.deadletter.DeadLetter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * The keyed state of one (model|segment)'s count windows and the two steps on it, shared by
 * {@link CountWindowFunction} and {@link PcaCountWindowFunction} (the same state names and types
 * in both, so a savepoint of either restores into the other). Not thread-safe: one per function
 * instance, used from its task thread.
 */
final class CountWindowSteps implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ModelRegistry models;
  private transient MapState<Long, List<Prediction>> waiting;
  private transient ValueState<Long> sequence;
  private transient ValueState<SummaryAccumulator> open;

  CountWindowSteps(ModelRegistry models) {
    this.models = models;
  }

  void open(RuntimeContext context) {
    waiting = context.getMapState(new MapStateDescriptor<>("count-window-waiting", Types.LONG,
        new ListTypeInfo<>(PredictionSerializer.typeInfo())));
    sequence = context.getState(new ValueStateDescriptor<>("count-window-sequence", Types.LONG));
    open = context.getState(new ValueStateDescriptor<>("count-window-open", SummaryAccumulator.typeInfo()));
  }

  /**
   * Keeps {@code p} waiting under its event time, with a timer there; one at or behind the watermark
   * goes to {@code late} as a dead letter instead.
   */
  void arrive(Prediction p, TimerService timers, Consumer<DeadLetter> late) throws Exception {
    long watermark = timers.currentWatermark();
    if (p.timestamp() <= watermark) {
      MonitorSpec spec = models.get(p.modelId());
      late.accept(new DeadLetter(CountWindowFunction.STAGE, spec.fields().timestamp() + ": prediction \"" + p.predictionId()
          + "\" at " + Instant.ofEpochMilli(p.timestamp()) + " arrived after the watermark "
          + Instant.ofEpochMilli(watermark) + " of segment " + p.segment()
          + "'s count windows; expected at most window.max_out_of_orderness (" + spec.window().maxOutOfOrderness()
          + ") behind the newest prediction", null, -1, -1, p.predictionId().getBytes(StandardCharsets.UTF_8),
          Json.bytes(p), p.timestamp(), System.currentTimeMillis()));
      return;
    }
    List<Prediction> same = waiting.get(p.timestamp());
    if (same == null) {
      same = new ArrayList<>(1);
      timers.registerEventTimeTimer(p.timestamp());
    }
    same.add(p);
    waiting.put(p.timestamp(), same);
  }

  /**
   * At the timer of {@code timestamp}: adds every waiting prediction at or below the watermark to
   * the open window of {@code key}, scored with {@code scorer} when it is not null, and emits each
   * window that fills.
   */
  void release(long timestamp, String key, TimerService timers, PcaScorers.Scorer scorer, Collector<ClosedWindow> out)
      throws Exception {
    if (!waiting.contains(timestamp)) {
      return; // released by an earlier timer of the same watermark
    }
    long watermark = timers.currentWatermark();
    List<Long> due = new ArrayList<>();
    List<Prediction> batch = new ArrayList<>();
    for (var e : waiting.entries()) {
      if (e.getKey() <= watermark) {
        due.add(e.getKey());
        batch.addAll(e.getValue());
      }
    }
    for (Long ts : due) {
      waiting.remove(ts);
    }
    MonitorSpec spec = models.get(SegmentFanOut.modelOf(key));
    Long next = sequence.value();
    SummaryAccumulator acc = open.value();
    CountWindow window = new CountWindow(spec, next == null ? 0 : next, acc == null ? null : acc.summary);
    window.addAll(batch, scorer == null ? null : scorer.model(), scorer == null ? null : scorer.profileId(),
        c -> out.collect(new ClosedWindow(key, c.start(), c.end(), c.sequence(), c.summary())));
    sequence.update(window.sequence());
    if (window.open() == null) {
      open.clear();
    } else {
      SummaryAccumulator updated = new SummaryAccumulator();
      updated.summary = window.open();
      open.update(updated);
    }
  }
}
