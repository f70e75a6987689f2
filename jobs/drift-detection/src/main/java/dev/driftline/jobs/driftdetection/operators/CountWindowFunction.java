package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.jobs.driftdetection.state.ClosedWindow;
import dev.driftline.runtime.deadletter.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Count windows of one (model|segment) key, the same whatever order the predictions arrive in.
 * Each prediction waits in state under its event-time millisecond until the watermark passes it;
 * then all waiting predictions at or below the watermark are added to the open window in (event
 * time, prediction id) order ({@link dev.driftline.core.window.CountWindow}), reading and writing the open window's summary
 * once per firing. So the waiting predictions are bounded by the rate times the out-of-orderness.
 * A prediction at or behind the watermark when it arrives could belong to a window already closed:
 * it is dropped and sent to {@link #LATE} as a dead letter (counted, with every dead letter, in
 * {@code dead_letters} with source {@value #STAGE} and reason {@code late}). Models whose
 * predictions are scored for {@code pca} take {@link PcaCountWindowFunction} instead.
 */
public final class CountWindowFunction extends KeyedProcessFunction<String, Prediction, ClosedWindow> {
  private static final long serialVersionUID = 1L;
  public static final String STAGE = "window:predictions";
  public static final OutputTag<DeadLetter> LATE = new OutputTag<>("late-count-window-predictions",
      TypeInformation.of(DeadLetter.class));

  private final CountWindowSteps steps;

  public CountWindowFunction(ModelRegistry models) {
    this.steps = new CountWindowSteps(models);
  }

  @Override
  public void open(OpenContext context) {
    steps.open(getRuntimeContext());
  }

  @Override
  public void processElement(Prediction p, Context ctx, Collector<ClosedWindow> out) throws Exception {
    steps.arrive(p, ctx.timerService(), late -> ctx.output(LATE, late));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ClosedWindow> out) throws Exception {
    steps.release(timestamp, ctx.getCurrentKey(), ctx.timerService(), null, out);
  }
}
