package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.window.Outcome;
import dev.driftline.core.window.PerformanceWindow;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Folds a window's outcomes (predictions, and labels as they arrive) into a {@link PerformanceWindow}. */
public final class PerformanceAggregate implements AggregateFunction<Outcome, PerformanceWindow, PerformanceWindow> {
  private static final long serialVersionUID = 1L;

  @Override
  public PerformanceWindow createAccumulator() {
    return new PerformanceWindow();
  }

  @Override
  public PerformanceWindow add(Outcome o, PerformanceWindow acc) {
    acc.add(o);
    return acc;
  }

  @Override
  public PerformanceWindow getResult(PerformanceWindow acc) {
    return acc;
  }

  @Override
  public PerformanceWindow merge(PerformanceWindow a, PerformanceWindow b) {
    a.merge(b);
    return a;
  }
}
