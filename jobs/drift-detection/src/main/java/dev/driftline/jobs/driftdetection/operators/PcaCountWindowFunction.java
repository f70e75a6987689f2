package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.jobs.driftdetection.state.ClosedWindow;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@link CountWindowFunction} that also scores each prediction's PCA reconstruction error as it is
 * added to its count window, with the model of its model's newest profile ({@link PcaScorers}): the
 * profiles given at start, then those published on the baselines topic (its broadcast input, kept
 * newest-first by {@link PublishedBaselines#keepNewest} in the broadcast state
 * {@link DriftEvaluationFunction#BASELINES}, as the drift evaluation keeps them). A prediction is
 * scored when the watermark releases it into its window, in O(features × components); its keyed
 * state is {@link CountWindowFunction}'s, names and types alike. Used only when some count-window
 * model is scored, so other jobs keep their one-input count-window step.
 */
public final class PcaCountWindowFunction
    extends KeyedBroadcastProcessFunction<String, Prediction, BaselineDecoder.PublishedBaseline, ClosedWindow> {
  private static final long serialVersionUID = 1L;

  private final ModelRegistry models;
  private final CountWindowSteps steps;
  private final PcaScorers scorers;
  /** Whether the scorers have taken in the broadcast state since this instance opened (it is restored, not sent). */
  private transient boolean caughtUp;

  /** @param profiles the profile baseline of each model that has one when the job starts */
  public PcaCountWindowFunction(ModelRegistry models, Map<String, Baseline> profiles) {
    this.models = models;
    this.steps = new CountWindowSteps(models);
    this.scorers = PcaScorers.atStart(models, profiles);
  }

  /** Whether the job needs this function: some count-window model's predictions are scored. */
  public static boolean needed(ModelRegistry models) {
    return models.all().stream().anyMatch(s -> s.window().isCount() && PcaScorers.scores(s));
  }

  @Override
  public void open(OpenContext context) {
    steps.open(getRuntimeContext());
    caughtUp = false;
  }

  @Override
  public void processBroadcastElement(BaselineDecoder.PublishedBaseline baseline, Context ctx, Collector<ClosedWindow> out)
      throws Exception {
    catchUp(ctx.getBroadcastState(DriftEvaluationFunction.BASELINES));
    MonitorSpec spec = models.get(baseline.modelId());
    if (PublishedBaselines.keepNewest(ctx.getBroadcastState(DriftEvaluationFunction.BASELINES), baseline) && spec != null) {
      scorers.update(spec, Json.mapper().readValue(baseline.json(), BaselineFile.class));
    }
  }

  @Override
  public void processElement(Prediction p, ReadOnlyContext ctx, Collector<ClosedWindow> out) throws Exception {
    catchUp(ctx.getBroadcastState(DriftEvaluationFunction.BASELINES));
    steps.arrive(p, ctx.timerService(), late -> ctx.output(CountWindowFunction.LATE, late));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ClosedWindow> out) throws Exception {
    catchUp(ctx.getBroadcastState(DriftEvaluationFunction.BASELINES));
    String key = ctx.getCurrentKey();
    steps.release(timestamp, key, ctx.timerService(), scorers.get(SegmentFanOut.modelOf(key)), out);
  }

  /** After a restore, the newest profiles are in the broadcast state only: the scorers take them in once. */
  private void catchUp(ReadOnlyBroadcastState<String, byte[]> published) throws Exception {
    if (caughtUp) {
      return;
    }
    caughtUp = true;
    scorers.updateAll(models, published.immutableEntries());
  }
}
