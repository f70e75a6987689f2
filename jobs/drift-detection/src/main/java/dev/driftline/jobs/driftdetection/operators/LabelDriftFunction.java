package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.window.LabelDrift;
import dev.driftline.core.window.PerformanceWindow;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Label drift: tests the labels a performance window knows (each time it is emitted, so again as
 * late labels arrive; same result ids, consumers upsert) against the label column of the model's
 * profile — the one given at start, or the newest published on the baselines topic, as
 * {@link DriftEvaluationFunction} uses for the features. A profile without a label column gives no
 * label drift. Stateless but for the broadcast baselines.
 */
public final class LabelDriftFunction extends KeyedBroadcastProcessFunction<String, WindowPartial<PerformanceWindow>,
    BaselineDecoder.PublishedBaseline, DriftResult> {
  private static final long serialVersionUID = 1L;
  private final ModelRegistry models;
  private final PublishedBaselines baselines;
  private transient Counter windowsWithoutLabelReference;
  private transient DriftCounts driftCounts;

  /** @param profiles the profile baseline of each model whose reference source is a profile */
  public LabelDriftFunction(ModelRegistry models, Map<String, Baseline> profiles) {
    this.models = models;
    this.baselines = new PublishedBaselines(profiles);
  }

  @Override
  public void open(OpenContext context) {
    windowsWithoutLabelReference = getRuntimeContext().getMetricGroup().counter("windowsWithoutLabelReference");
    driftCounts = new DriftCounts(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processBroadcastElement(BaselineDecoder.PublishedBaseline profile, Context ctx, Collector<DriftResult> out)
      throws Exception {
    PublishedBaselines.keepNewest(ctx.getBroadcastState(DriftEvaluationFunction.BASELINES), profile);
  }

  @Override
  public void processElement(WindowPartial<PerformanceWindow> window, ReadOnlyContext ctx, Collector<DriftResult> out)
      throws Exception {
    MonitorSpec spec = models.get(SegmentFanOut.modelOf(window.key()));
    Baseline baseline = baselines.current(spec, ctx.getBroadcastState(DriftEvaluationFunction.BASELINES).get(spec.modelId()),
        profile -> { });
    if (baseline == null || !LabelDrift.hasReference(baseline)) {
      windowsWithoutLabelReference.inc();
      return;
    }
    for (DriftResult r : LabelDrift.results(spec, SegmentFanOut.segmentOf(window.key()), window.start(), window.end(),
        baseline, window.summary(), System.currentTimeMillis())) {
      driftCounts.count(r);
      out.collect(r);
    }
  }
}
