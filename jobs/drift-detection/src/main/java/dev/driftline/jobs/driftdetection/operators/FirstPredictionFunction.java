package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.jobs.driftdetection.state.PredictionSerializer;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The duplicate check of 0.1.x, now done in the label join's state ({@link LabelJoinFunction}). It
 * stays in the job with no input so that a savepoint of 0.1.x, which holds its ids, restores: they
 * expire by state time-to-live (processing time) as before. It would pass the first prediction of
 * each id and send any other with the same id to {@link #DUPLICATES}; an id is remembered for the
 * longest {@code labels.max_delay} of the job's models.
 */
public final class FirstPredictionFunction extends KeyedProcessFunction<String, Prediction, Prediction> {
  private static final long serialVersionUID = 1L;
  public static final OutputTag<Prediction> DUPLICATES =
      new OutputTag<>("duplicate-predictions", PredictionSerializer.typeInfo());

  private final Duration remember;
  /** Present (true) for an id seen within {@link #remember}. */
  private transient ValueState<Boolean> seen;
  private transient Counter duplicates;

  public FirstPredictionFunction(ModelRegistry models) {
    Duration longest = Duration.ofMillis(1);
    for (MonitorSpec spec : models.all()) {
      longest = spec.maxLabelDelay().compareTo(longest) > 0 ? spec.maxLabelDelay() : longest;
    }
    this.remember = longest;
  }

  @Override
  public void open(OpenContext context) {
    ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("first-prediction-seen", Types.BOOLEAN);
    descriptor.enableTimeToLive(StateTtlConfig.newBuilder(remember)
        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
        .cleanupInRocksdbCompactFilter(1_000)
        .build());
    seen = getRuntimeContext().getState(descriptor);
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicatePredictions");
  }

  @Override
  public void processElement(Prediction p, Context ctx, Collector<Prediction> out) throws Exception {
    if (seen.value() != null) {
      duplicates.inc();
      ctx.output(DUPLICATES, p);
      return;
    }
    seen.update(Boolean.TRUE);
    out.collect(p);
  }
}
