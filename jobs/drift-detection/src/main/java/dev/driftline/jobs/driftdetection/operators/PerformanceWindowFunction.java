package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.window.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.ReferenceSpec;
import dev.driftline.core.window.PerformanceWindow;
import dev.driftline.jobs.driftdetection.state.Partials;
import java.io.IOException;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * A window's performance on the labels known so far; re-emitted (same id) as late labels arrive.
 * Each emission also hands the window, with its labels, to {@link #LABEL_WINDOWS} for label drift
 * (models whose reference is a profile only: stream references have no labels). Keeps the largest
 * window summary's size in bytes as the accumulator {@link #STATE_BYTES}.
 */
public final class PerformanceWindowFunction
    extends ProcessWindowFunction<PerformanceWindow, PerformanceResult, String, TimeWindow> {
  private static final long serialVersionUID = 1L;
  public static final String STATE_BYTES = "performance-window-state-bytes-max";
  public static final OutputTag<WindowPartial<PerformanceWindow>> LABEL_WINDOWS =
      new OutputTag<>("label-windows", Partials.performance());
  private final ModelRegistry models;
  private transient LongMaximum stateBytes;

  public PerformanceWindowFunction(ModelRegistry models) {
    this.models = models;
  }

  @Override
  public void open(OpenContext context) {
    stateBytes = new LongMaximum();
    getRuntimeContext().addAccumulator(STATE_BYTES, stateBytes);
  }

  @Override
  public void process(String key, Context ctx, Iterable<PerformanceWindow> elements, Collector<PerformanceResult> out)
      throws IOException {
    PerformanceWindow w = elements.iterator().next();
    if (w == null) {
      return;
    }
    stateBytes.add(SerializedSize.of(w::write));
    MonitorSpec spec = models.get(SegmentFanOut.modelOf(key));
    out.collect(w.result(spec.modelId(), SegmentFanOut.segmentOf(key),
        ctx.window().getStart(), ctx.window().getEnd(), System.currentTimeMillis()));
    if (w.labelled() > 0 && spec.reference().source() == ReferenceSpec.Source.PROFILE) {
      // Crosses a network edge (keyed), so it is serialized here, before the window changes again.
      ctx.output(LABEL_WINDOWS, new WindowPartial<>(key, ctx.window().getStart(), ctx.window().getEnd(), w));
    }
  }
}
