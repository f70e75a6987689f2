package dev.driftline.core.window;

import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.stats.PcaModel;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The open count window of one (model, segment): predictions are added in {@link #ORDER}, and
 * every {@code window.count} of them close a window. Which predictions fall in window k is then a
 * function of the predictions alone, not of the order they arrived in, provided each batch handed
 * to {@link #addAll} comes after every batch before it in {@link #ORDER} (the caller releases
 * predictions only once the watermark has passed them).
 *
 * <p>Mutable and not thread-safe: one instance serves one key for one batch.
 */
public final class CountWindow {
  /** Event time, then prediction id: a total order, since prediction ids are unique per model. */
  public static final Comparator<Prediction> ORDER =
      Comparator.comparingLong(Prediction::timestamp).thenComparing(Prediction::predictionId);

  /**
   * A full count window.
   *
   * @param sequence 0 for a key's first window, then 1, 2, ...
   * @param first event time of its first prediction, epoch millis
   * @param last event time of its last prediction, epoch millis
   */
  public record Closed(long sequence, long first, long last, WindowSummary summary) {
    /** Inclusive start of the window's results: the first prediction's time. */
    public long start() {
      return first;
    }

    /** Exclusive end of the window's results: one millisecond after the last prediction. */
    public long end() {
      return last + 1;
    }
  }

  private final MonitorSpec spec;
  private long sequence;
  private WindowSummary open;

  /**
   * @param sequence the sequence number the open window will close with
   * @param open the predictions added so far to the open window, or null when none
   */
  public CountWindow(MonitorSpec spec, long sequence, WindowSummary open) {
    if (!spec.window().isCount()) {
      throw new IllegalArgumentException("model " + spec.modelId() + " has time windows");
    }
    this.spec = spec;
    this.sequence = sequence;
    this.open = open;
  }

  /** Sorts {@code batch} into {@link #ORDER} and adds it; each window that fills goes to {@code closed}. */
  public void addAll(List<Prediction> batch, Consumer<Closed> closed) {
    addAll(batch, null, null, closed);
  }

  /**
   * As {@link #addAll(List, Consumer)}, scoring each prediction's reconstruction error with
   * {@code pca} (from the profile {@code profileId}) when the spec has {@code pca} and {@code pca}
   * is not null ({@link WindowSummary#add(Prediction, PcaModel, String)}).
   */
  public void addAll(List<Prediction> batch, PcaModel pca, String profileId, Consumer<Closed> closed) {
    batch.sort(ORDER);
    for (Prediction p : batch) {
      add(p, pca, profileId, closed);
    }
  }

  private void add(Prediction p, PcaModel pca, String profileId, Consumer<Closed> closed) {
    if (open == null) {
      open = WindowSummary.empty(spec);
    }
    open.add(p, pca, profileId);
    if (open.count() == spec.window().count()) {
      closed.accept(new Closed(sequence, open.minTimestamp(), open.maxTimestamp(), open));
      sequence++;
      open = null;
    }
  }

  /** The sequence number of the open window. */
  public long sequence() {
    return sequence;
  }

  /** The open window's predictions so far, or null when it has none. */
  public WindowSummary open() {
    return open;
  }
}
