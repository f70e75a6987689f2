package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.spec.WindowSpec;
import dev.driftline.core.window.Outcome;
import dev.driftline.core.window.PerformanceWindow;
import dev.driftline.core.window.UpdatePoints;

/**
 * Local performance summaries: each outcome counts in the windows of its prediction's time, from
 * the update point of its label's time ({@link UpdatePoints}), as far as the label join's watermark
 * (its progress records) has come.
 */
public final class PerformanceBundling implements WindowBundleOperator.Bundling<Outcome, PerformanceWindow> {
  private static final long serialVersionUID = 1L;
  private final ModelRegistry models;

  public PerformanceBundling(ModelRegistry models) {
    this.models = models;
  }

  /** Outcomes come from the label join, with its watermark as progress records. */
  @Override
  public boolean progressRecords() {
    return true;
  }

  @Override
  public boolean isProgress(Outcome o) {
    return LabelJoinOperator.isProgress(o);
  }

  @Override
  public String key(Outcome o) {
    return SegmentFanOut.key(o.modelId(), o.segment());
  }

  @Override
  public long time(Outcome o) {
    return o.predictionTimestamp();
  }

  @Override
  public WindowSpec window(Outcome o) {
    return models.get(o.modelId()).window();
  }

  @Override
  public PerformanceWindow create(Outcome o) {
    return PerformanceWindow.of(models.get(o.modelId()));
  }

  /** A label counts from the first update point at or after its own event time (the window's end at the earliest). */
  @Override
  public long emitAt(Outcome o, long start, long end) {
    if (!o.isLabelled() || o.labelTimestamp() == Long.MIN_VALUE) {
      return end - 1;
    }
    return UpdatePoints.due(o.labelTimestamp(), end, models.get(o.modelId()).window().slide().toMillis());
  }

  @Override
  public void add(PerformanceWindow window, Outcome o) {
    window.add(o);
  }
}
