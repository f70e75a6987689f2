package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.profile.ReferenceProfile;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.window.Baseline;
import dev.driftline.core.window.DriftResult;
import dev.driftline.core.window.LabelDrift;
import dev.driftline.core.window.PerformanceWindow;
import java.util.HashMap;
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
  private final Map<String, Baseline> profiles;
  private transient Map<String, Baseline> converted;
  private transient Counter windowsWithoutLabelReference;

  /** @param profiles the profile baseline of each model whose reference source is a profile */
  public LabelDriftFunction(ModelRegistry models, Map<String, Baseline> profiles) {
    this.models = models;
    this.profiles = Map.copyOf(profiles);
  }

  @Override
  public void open(OpenContext context) {
    converted = new HashMap<>();
    windowsWithoutLabelReference = getRuntimeContext().getMetricGroup().counter("windowsWithoutLabelReference");
  }

  @Override
  public void processBroadcastElement(BaselineDecoder.PublishedBaseline profile, Context ctx, Collector<DriftResult> out)
      throws Exception {
    // This operator's copy of the broadcast state, kept by DriftEvaluationFunction's rule: the
    // newest baseline of a model wins, whatever order they arrive in.
    byte[] current = ctx.getBroadcastState(DriftEvaluationFunction.BASELINES).get(profile.modelId());
    if (current != null && Json.mapper().readValue(current, ReferenceProfile.class).createdAt()
        .compareTo(profile.createdAt()) > 0) {
      return;
    }
    ctx.getBroadcastState(DriftEvaluationFunction.BASELINES).put(profile.modelId(), profile.json());
  }

  @Override
  public void processElement(WindowPartial<PerformanceWindow> window, ReadOnlyContext ctx, Collector<DriftResult> out)
      throws Exception {
    MonitorSpec spec = models.get(SegmentFanOut.modelOf(window.key()));
    Baseline baseline = baseline(spec, ctx.getBroadcastState(DriftEvaluationFunction.BASELINES).get(spec.modelId()));
    if (baseline == null || !LabelDrift.hasReference(baseline)) {
      windowsWithoutLabelReference.inc();
      return;
    }
    for (DriftResult r : LabelDrift.results(spec, SegmentFanOut.segmentOf(window.key()), window.start(), window.end(),
        baseline, window.summary(), System.currentTimeMillis())) {
      out.collect(r);
    }
  }

  /** The newest published baseline of the model, else the one given at start. */
  private Baseline baseline(MonitorSpec spec, byte[] published) throws Exception {
    if (published == null) {
      return profiles.get(spec.modelId());
    }
    ReferenceProfile profile = Json.mapper().readValue(published, ReferenceProfile.class);
    Baseline cached = converted.get(spec.modelId());
    if (cached == null || !cached.referenceId().equals(profile.profileId())) {
      cached = Baseline.fromProfile(profile, spec);
      converted.put(spec.modelId(), cached);
    }
    return cached;
  }
}
