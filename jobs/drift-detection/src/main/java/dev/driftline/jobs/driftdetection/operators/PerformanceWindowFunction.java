package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.window.PerformanceResult;
import dev.driftline.core.window.PerformanceWindow;
import java.io.IOException;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * A window's performance on the labels known so far; re-emitted (same id) as late labels arrive.
 * Keeps the largest window summary's size in bytes as the accumulator {@link #STATE_BYTES}.
 */
public final class PerformanceWindowFunction
    extends ProcessWindowFunction<PerformanceWindow, PerformanceResult, String, TimeWindow> {
  private static final long serialVersionUID = 1L;
  public static final String STATE_BYTES = "performance-window-state-bytes-max";
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
    out.collect(w.result(models.get(SegmentFanOut.modelOf(key)).modelId(), SegmentFanOut.segmentOf(key),
        ctx.window().getStart(), ctx.window().getEnd(), System.currentTimeMillis()));
  }
}
