package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.connectors.deadletter.DeadLetter;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.window.CountWindow;
import dev.driftline.jobs.driftdetection.state.ClosedWindow;
import dev.driftline.jobs.driftdetection.state.PredictionSerializer;
import dev.driftline.jobs.driftdetection.state.SummaryAccumulator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Count windows of one (model|segment) key, the same whatever order the predictions arrive in.
 * Each prediction waits in state under its event-time millisecond until the watermark passes it;
 * then all waiting predictions at or below the watermark are added to the open window in (event
 * time, prediction id) order ({@link CountWindow}), reading and writing the open window's summary
 * once per firing. So the waiting predictions are bounded by the rate times the out-of-orderness.
 * A prediction at or behind the watermark when it arrives could belong to a window already closed:
 * it is dropped and sent to {@link #LATE} as a dead letter (counted, with every dead letter, in
 * {@code dead_letters} with source {@value #STAGE} and reason {@code late}).
 */
public final class CountWindowFunction extends KeyedProcessFunction<String, Prediction, ClosedWindow> {
  private static final long serialVersionUID = 1L;
  public static final String STAGE = "window:predictions";
  public static final OutputTag<DeadLetter> LATE = new OutputTag<>("late-count-window-predictions",
      TypeInformation.of(DeadLetter.class));

  private final ModelRegistry models;
  private transient MapState<Long, List<Prediction>> waiting;
  private transient ValueState<Long> sequence;
  private transient ValueState<SummaryAccumulator> open;

  public CountWindowFunction(ModelRegistry models) {
    this.models = models;
  }

  @Override
  public void open(OpenContext context) {
    waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("count-window-waiting", Types.LONG,
        new ListTypeInfo<>(PredictionSerializer.typeInfo())));
    sequence = getRuntimeContext().getState(new ValueStateDescriptor<>("count-window-sequence", Types.LONG));
    open = getRuntimeContext().getState(new ValueStateDescriptor<>("count-window-open", SummaryAccumulator.typeInfo()));
  }

  @Override
  public void processElement(Prediction p, Context ctx, Collector<ClosedWindow> out) throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    if (p.timestamp() <= watermark) {
      MonitorSpec spec = models.get(p.modelId());
      ctx.output(LATE, new DeadLetter(STAGE, spec.fields().timestamp() + ": prediction \"" + p.predictionId()
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
      ctx.timerService().registerEventTimeTimer(p.timestamp());
    }
    same.add(p);
    waiting.put(p.timestamp(), same);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ClosedWindow> out) throws Exception {
    if (!waiting.contains(timestamp)) {
      return; // released by an earlier timer of the same watermark
    }
    long watermark = ctx.timerService().currentWatermark();
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
    String key = ctx.getCurrentKey();
    MonitorSpec spec = models.get(SegmentFanOut.modelOf(key));
    Long next = sequence.value();
    SummaryAccumulator acc = open.value();
    CountWindow window = new CountWindow(spec, next == null ? 0 : next, acc == null ? null : acc.summary);
    window.addAll(batch, c -> out.collect(new ClosedWindow(key, c.start(), c.end(), c.sequence(), c.summary())));
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
