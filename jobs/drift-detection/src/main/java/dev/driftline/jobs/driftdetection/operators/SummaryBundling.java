package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.WindowSpec;
import dev.driftline.core.window.WindowSummary;

/**
 * Local drift summaries: each prediction goes into the {@link WindowSummary} of its (model|segment)
 * windows, with its reconstruction error when its model has a PCA scorer.
 */
public final class SummaryBundling implements WindowBundleOperator.Bundling<Prediction, WindowSummary> {
  private static final long serialVersionUID = 1L;
  private final ModelRegistry models;
  /** Null when no model is scored; else shared with (and updated by) {@link PcaScoringBundleOperator}. */
  private final PcaScorers scorers;

  public SummaryBundling(ModelRegistry models) {
    this(models, null);
  }

  SummaryBundling(ModelRegistry models, PcaScorers scorers) {
    this.models = models;
    this.scorers = scorers;
  }

  @Override
  public String key(Prediction p) {
    return SegmentFanOut.key(p.modelId(), p.segment());
  }

  @Override
  public long time(Prediction p) {
    return p.timestamp();
  }

  @Override
  public WindowSpec window(Prediction p) {
    return models.get(p.modelId()).window();
  }

  @Override
  public WindowSummary create(Prediction p) {
    return WindowSummary.empty(models.get(p.modelId()));
  }

  @Override
  public void add(WindowSummary summary, Prediction p) {
    PcaScorers.Scorer scorer = scorers == null ? null : scorers.get(p.modelId());
    if (scorer == null) {
      summary.add(p);
    } else {
      summary.add(p, scorer.model(), scorer.profileId());
    }
  }
}
