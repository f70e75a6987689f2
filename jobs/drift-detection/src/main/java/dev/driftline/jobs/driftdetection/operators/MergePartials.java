package dev.driftline.jobs.driftdetection.operators;

import java.io.Serializable;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * The global half of the two-phase window aggregation: merges the partials of one (key, window)
 * into one bounded summary. Keyed state is touched once per partial, not once per record.
 */
public final class MergePartials<S> implements AggregateFunction<WindowPartial<S>, WindowPartial<S>, S> {
  private static final long serialVersionUID = 1L;

  /** Folds {@code other} into {@code target}. */
  public interface Merge<S> extends Serializable {
    void into(S target, S other);
  }

  private final Merge<S> merge;

  public MergePartials(Merge<S> merge) {
    this.merge = merge;
  }

  @Override
  public WindowPartial<S> createAccumulator() {
    return WindowPartial.empty();
  }

  @Override
  public WindowPartial<S> add(WindowPartial<S> partial, WindowPartial<S> acc) {
    if (acc.summary() == null) {
      return partial;
    }
    merge.into(acc.summary(), partial.summary());
    return acc;
  }

  @Override
  public S getResult(WindowPartial<S> acc) {
    return acc.summary();
  }

  @Override
  public WindowPartial<S> merge(WindowPartial<S> a, WindowPartial<S> b) {
    return b.summary() == null ? a : add(b, a);
  }
}
