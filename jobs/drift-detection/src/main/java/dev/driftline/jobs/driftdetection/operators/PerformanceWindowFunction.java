package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.ReferenceSpec;
import dev.driftline.core.window.PerformanceWindow;
import dev.driftline.core.window.UpdatePoints;
import dev.driftline.jobs.driftdetection.state.Partials;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * A window's performance on the labels known so far, emitted at points fixed in event time
 * ({@link UpdatePoints}): when the watermark passes the window's last millisecond, and again at
 * each update point ({@code window.slide} apart) at which labels with event time up to that point
 * arrived. Partials come stamped with the point they belong to ({@link PerformanceBundling#emitAt})
 * and wait for it in state, merged; so an emission holds exactly the labels up to its point,
 * however the bundles before were flushed. Re-emitted with the same id; consumers upsert. Each
 * emission also hands the window, with its labels, to {@link #LABEL_WINDOWS} for label drift
 * (models whose reference is a profile only: stream references have no labels). Keeps the largest
 * window summary's size in bytes as the accumulator {@link #STATE_BYTES}.
 *
 * <p>Keyed by {@code model|segment}. A window's state goes at its last point ({@link
 * UpdatePoints#last}, {@code labels.max_delay} after its end); a partial that comes after that
 * goes to {@link LatePartials#PERFORMANCE}. A partial whose point the watermark already passed
 * (input beyond its out-of-orderness bound) counts at the next point.
 */
public final class PerformanceWindowFunction
    extends KeyedProcessFunction<String, WindowPartial<PerformanceWindow>, PerformanceResult> {
  private static final long serialVersionUID = 1L;
  public static final String STATE_BYTES = "performance-window-state-bytes-max";
  public static final OutputTag<WindowPartial<PerformanceWindow>> LABEL_WINDOWS =
      new OutputTag<>("label-windows", Partials.performance());
  private final ModelRegistry models;
  /** window start → the window as emitted last (labels up to its last point), until its last point. */
  private transient MapState<Long, WindowPartial<PerformanceWindow>> windows;
  /** "point/start" → what a window takes in at that point, waiting for the watermark to pass it. */
  private transient MapState<String, WindowPartial<PerformanceWindow>> pending;
  private transient LongMaximum stateBytes;

  public PerformanceWindowFunction(ModelRegistry models) {
    this.models = models;
  }

  @Override
  public void open(OpenContext context) {
    windows = getRuntimeContext().getMapState(new MapStateDescriptor<>("performance-windows", Types.LONG, Partials.performance()));
    pending = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("performance-pending", Types.STRING, Partials.performance()));
    stateBytes = new LongMaximum();
    getRuntimeContext().addAccumulator(STATE_BYTES, stateBytes);
  }

  @Override
  public void processElement(WindowPartial<PerformanceWindow> partial, Context ctx, Collector<PerformanceResult> out)
      throws Exception {
    MonitorSpec spec = models.get(SegmentFanOut.modelOf(partial.key()));
    long step = spec.window().slide().toMillis();
    long last = UpdatePoints.last(partial.end(), lateness(spec).toMillis(), step);
    long watermark = ctx.timerService().currentWatermark();
    if (last <= watermark) {
      ctx.output(LatePartials.PERFORMANCE, partial);
      return;
    }
    long point = ctx.timestamp() > watermark ? ctx.timestamp() : Math.min(last, UpdatePoints.after(watermark, step));
    String id = point + "/" + partial.start();
    WindowPartial<PerformanceWindow> waiting = pending.get(id);
    if (waiting == null) {
      pending.put(id, partial);
    } else {
      waiting.summary().merge(partial.summary());
      pending.put(id, waiting);
    }
    ctx.timerService().registerEventTimeTimer(point);
    ctx.timerService().registerEventTimeTimer(last);
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<PerformanceResult> out) throws Exception {
    List<Map.Entry<String, WindowPartial<PerformanceWindow>>> due = new ArrayList<>();
    for (Map.Entry<String, WindowPartial<PerformanceWindow>> e : pending.entries()) {
      if (Long.parseLong(e.getKey().substring(0, e.getKey().indexOf('/'))) == time) {
        due.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    // Several windows (sliding) may be due at one point: oldest first, the same order every run.
    due.sort(Comparator.comparingLong(e -> e.getValue().start()));
    String key = ctx.getCurrentKey();
    MonitorSpec spec = models.get(SegmentFanOut.modelOf(key));
    long step = spec.window().slide().toMillis();
    for (Map.Entry<String, WindowPartial<PerformanceWindow>> e : due) {
      pending.remove(e.getKey());
      WindowPartial<PerformanceWindow> added = e.getValue();
      WindowPartial<PerformanceWindow> window = windows.get(added.start());
      if (window == null) {
        window = added;
      } else {
        window.summary().merge(added.summary());
      }
      windows.put(window.start(), window);
      emit(spec, key, window, time, ctx, out);
    }
    // Windows past their last point: no label can update them any more.
    List<Long> done = new ArrayList<>();
    for (Map.Entry<Long, WindowPartial<PerformanceWindow>> e : windows.entries()) {
      if (UpdatePoints.last(e.getValue().end(), lateness(spec).toMillis(), step) <= time) {
        done.add(e.getKey());
      }
    }
    for (Long start : done) {
      windows.remove(start);
    }
  }

  private void emit(MonitorSpec spec, String key, WindowPartial<PerformanceWindow> window, long point, OnTimerContext ctx,
      Collector<PerformanceResult> out) throws IOException {
    PerformanceWindow w = window.summary();
    stateBytes.add(SerializedSize.of(w::write));
    out.collect(w.result(spec, SegmentFanOut.segmentOf(key), window.start(), window.end(),
        System.currentTimeMillis()).withLabelsUntil(point + 1));
    if (w.labelled() > 0 && spec.reference().source() == ReferenceSpec.Source.PROFILE) {
      // Crosses a network edge (keyed), so it is serialized here, before the window changes again.
      ctx.output(LABEL_WINDOWS, new WindowPartial<>(key, window.start(), window.end(), w));
    }
  }

  /**
   * How long a window waits for late labels: {@code labels.max_delay}; for a model with
   * {@code labels: none}, only for late predictions, as long as its drift windows do.
   */
  public static java.time.Duration lateness(MonitorSpec spec) {
    return spec.labelled() ? spec.maxLabelDelay() : spec.window().allowedLateness();
  }
}
