package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.window.WindowSummary;
import dev.driftline.jobs.driftdetection.state.SummaryAccumulator;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Folds a window's predictions into one bounded {@link WindowSummary} covering every feature. */
public final class SummaryAggregate implements AggregateFunction<Prediction, SummaryAccumulator, SummaryAccumulator> {
  private static final long serialVersionUID = 1L;
  private final ModelRegistry models;

  public SummaryAggregate(ModelRegistry models) {
    this.models = models;
  }

  @Override
  public SummaryAccumulator createAccumulator() {
    return new SummaryAccumulator();
  }

  @Override
  public SummaryAccumulator add(Prediction p, SummaryAccumulator acc) {
    if (acc.summary == null) {
      acc.summary = WindowSummary.empty(models.get(p.modelId()));
    }
    acc.summary.add(p);
    return acc;
  }

  @Override
  public SummaryAccumulator getResult(SummaryAccumulator acc) {
    return acc;
  }

  @Override
  public SummaryAccumulator merge(SummaryAccumulator a, SummaryAccumulator b) {
    if (a.summary == null) {
      return b;
    }
    if (b.summary != null) {
      a.summary.merge(b.summary);
    }
    return a;
  }
}
