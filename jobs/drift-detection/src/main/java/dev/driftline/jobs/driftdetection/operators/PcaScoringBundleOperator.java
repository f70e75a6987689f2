package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.io.Json;
import dev.driftline.core.window.WindowSummary;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * {@link WindowBundleOperator} of drift summaries that also scores each prediction's PCA
 * reconstruction error, with the model of its model's newest profile ({@link PcaScorers}): the
 * profiles given at start, then those published on the baselines topic (its second input,
 * broadcast to every subtask, kept newest-first by {@link PublishedBaselines#keepNewest} in
 * broadcast state as the drift evaluation keeps them, so both agree once a baseline has reached
 * both). A prediction costs one hash lookup and O(features × components) per window it falls in;
 * no keyed state is read.
 *
 * <p>Used only when some model is scored: as a two-input operator it is not chained to the fan-out
 * before it, so its predictions cross a (local) channel. The baselines carry no event time: its
 * watermark follows the predictions alone, and (as its parent) it passes on no watermark status.
 */
public final class PcaScoringBundleOperator extends WindowBundleOperator<Prediction, WindowSummary>
    implements TwoInputStreamOperator<Prediction, BaselineDecoder.PublishedBaseline, WindowPartial<WindowSummary>> {
  private static final long serialVersionUID = 1L;

  private final ModelRegistry models;
  private final PcaScorers scorers;
  private transient BroadcastState<String, byte[]> published;

  /** @param profiles the profile baseline of each model that has one when the job starts */
  public PcaScoringBundleOperator(ModelRegistry models, Map<String, Baseline> profiles, int maxRecords, int maxEntries) {
    this(models, PcaScorers.atStart(models, profiles), maxRecords, maxEntries);
  }

  private PcaScoringBundleOperator(ModelRegistry models, PcaScorers scorers, int maxRecords, int maxEntries) {
    // The bundling and this operator share the scorers (one object graph when the job graph ships).
    super(new SummaryBundling(models, scorers), maxRecords, maxEntries);
    this.models = models;
    this.scorers = scorers;
  }

  /** Whether the job needs this operator: some model's predictions are scored. */
  public static boolean needed(ModelRegistry models) {
    return PcaScorers.anyScored(models);
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    published = context.getOperatorStateStore().getBroadcastState(DriftEvaluationFunction.BASELINES);
    scorers.updateAll(models, published.entries());
  }

  @Override
  public void processElement1(StreamRecord<Prediction> element) throws Exception {
    processElement(element);
  }

  @Override
  public void processElement2(StreamRecord<BaselineDecoder.PublishedBaseline> element) throws Exception {
    BaselineDecoder.PublishedBaseline baseline = element.getValue();
    if (PublishedBaselines.keepNewest(published, baseline)) {
      scorers.update(models.get(baseline.modelId()), Json.mapper().readValue(baseline.json(), BaselineFile.class));
    }
  }

  @Override
  public void processWatermark1(Watermark mark) throws Exception {
    processWatermark(mark);
  }

  @Override
  public void processWatermark2(Watermark mark) {
    // The baselines have no event time (always the end of time): the predictions' watermark alone counts.
  }

  @Override
  protected void processWatermarkStatus(WatermarkStatus status, int index) {
    // As the parent's processWatermarkStatus: the status stops here.
  }
}
