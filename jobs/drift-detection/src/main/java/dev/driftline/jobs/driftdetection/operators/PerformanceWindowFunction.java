package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.window.PerformanceResult;
import dev.driftline.core.window.PerformanceWindow;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** A window's performance on the labels known so far; re-emitted (same id) as late labels arrive. */
public final class PerformanceWindowFunction
    extends ProcessWindowFunction<PerformanceWindow, PerformanceResult, String, TimeWindow> {
  private static final long serialVersionUID = 1L;
  private final ModelRegistry models;

  public PerformanceWindowFunction(ModelRegistry models) {
    this.models = models;
  }

  @Override
  public void process(String key, Context ctx, Iterable<PerformanceWindow> elements, Collector<PerformanceResult> out) {
    PerformanceWindow w = elements.iterator().next();
    MonitorSpec spec = models.get(SegmentFanOut.modelOf(key));
    out.collect(w.result(spec.modelId(), SegmentFanOut.segmentOf(key), spec.task(), spec.classificationThreshold(),
        ctx.window().getStart(), ctx.window().getEnd(), System.currentTimeMillis()));
  }
}
