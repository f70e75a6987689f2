package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.jobs.driftdetection.state.PredictionSerializer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes the first prediction of each prediction id and sends any other with the same id to
 * {@link #DUPLICATES}, so a replayed or colliding id is counted once, in drift and in performance
 * alike. An id is remembered for the model's {@code labels.max_delay} of event time after its
 * prediction — as long as the label join remembers it — then forgotten: state stays bounded.
 * Keyed by prediction id; its watermark is the predictions' alone, so drift windows close on
 * prediction time as before.
 */
public final class FirstPredictionFunction extends KeyedProcessFunction<String, Prediction, Prediction> {
  private static final long serialVersionUID = 1L;
  public static final OutputTag<Prediction> DUPLICATES =
      new OutputTag<>("duplicate-predictions", PredictionSerializer.typeInfo());

  private final ModelRegistry models;
  /** Event time until which this id is remembered; null for an id not seen (or forgotten). */
  private transient ValueState<Long> until;
  private transient Counter duplicates;

  public FirstPredictionFunction(ModelRegistry models) {
    this.models = models;
  }

  @Override
  public void open(OpenContext context) {
    until = getRuntimeContext().getState(new ValueStateDescriptor<>("first-prediction-until", Types.LONG));
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicatePredictions");
  }

  @Override
  public void processElement(Prediction p, Context ctx, Collector<Prediction> out) throws Exception {
    if (until.value() != null) {
      duplicates.inc();
      ctx.output(DUPLICATES, p);
      return;
    }
    long forgetAt = p.timestamp() + models.get(p.modelId()).maxLabelDelay().toMillis();
    until.update(forgetAt);
    ctx.timerService().registerEventTimeTimer(forgetAt);
    out.collect(p);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out) throws Exception {
    Long forgetAt = until.value();
    if (forgetAt != null && forgetAt <= timestamp) {
      until.clear();
    }
  }
}
