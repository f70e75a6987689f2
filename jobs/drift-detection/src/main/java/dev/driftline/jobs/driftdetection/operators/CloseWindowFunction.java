package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.window.WindowSummary;
import dev.driftline.jobs.driftdetection.state.ClosedWindow;
import java.io.IOException;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Hands a closed window's merged summary on, with its key and bounds, and keeps the largest
 * summary's size in bytes (what one key's window costs in state) as the accumulator
 * {@link #STATE_BYTES}.
 */
public final class CloseWindowFunction extends ProcessWindowFunction<WindowSummary, ClosedWindow, String, TimeWindow> {
  private static final long serialVersionUID = 1L;
  public static final String STATE_BYTES = "drift-window-state-bytes-max";
  private transient LongMaximum stateBytes;

  @Override
  public void open(OpenContext context) {
    stateBytes = new LongMaximum();
    getRuntimeContext().addAccumulator(STATE_BYTES, stateBytes);
  }

  @Override
  public void process(String key, Context ctx, Iterable<WindowSummary> elements, Collector<ClosedWindow> out)
      throws IOException {
    WindowSummary summary = elements.iterator().next();
    if (summary != null) {
      stateBytes.add(SerializedSize.of(summary::write));
      out.collect(new ClosedWindow(key, ctx.window().getStart(), ctx.window().getEnd(), summary));
    }
  }
}
