package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.jobs.driftdetection.state.ClosedWindow;
import dev.driftline.jobs.driftdetection.state.SummaryAccumulator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Hands a closed window's summary on, with its key and bounds. */
public final class CloseWindowFunction extends ProcessWindowFunction<SummaryAccumulator, ClosedWindow, String, TimeWindow> {
  private static final long serialVersionUID = 1L;

  @Override
  public void process(String key, Context ctx, Iterable<SummaryAccumulator> elements, Collector<ClosedWindow> out) {
    SummaryAccumulator acc = elements.iterator().next();
    if (acc.summary != null) {
      out.collect(new ClosedWindow(key, ctx.window().getStart(), ctx.window().getEnd(), acc.summary));
    }
  }
}
