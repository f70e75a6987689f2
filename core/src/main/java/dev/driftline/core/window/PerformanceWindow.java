package dev.driftline.core.window;

import dev.driftline.core.metrics.ClassificationMetrics;
import dev.driftline.core.metrics.RegressionMetrics;
import dev.driftline.core.spec.Task;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A window's predictions and the labels known so far. Keeps every labelled (score, label) pair up
 * to {@link #PAIR_LIMIT}, so metrics equal a batch recomputation over the same pairs exactly; past
 * that it keeps the first {@link #PAIR_LIMIT} and reports {@code exact = false}. Mutable, one
 * instance per window and key.
 */
public final class PerformanceWindow {
  public static final int PAIR_LIMIT = 100_000;

  private long predictions;
  private long labelled;
  private int kept;
  private double[] scores = new double[16];
  private double[] labels = new double[16];

  public void add(Outcome o) {
    if (o.countsAsPrediction()) {
      predictions++;
    }
    if (o.isLabelled()) {
      labelled++;
      if (kept < PAIR_LIMIT) {
        ensureCapacity(kept + 1);
        scores[kept] = o.score();
        labels[kept] = o.label();
        kept++;
      }
    }
  }

  public void merge(PerformanceWindow other) {
    predictions += other.predictions;
    labelled += other.labelled;
    int take = Math.min(other.kept, PAIR_LIMIT - kept);
    ensureCapacity(kept + take);
    System.arraycopy(other.scores, 0, scores, kept, take);
    System.arraycopy(other.labels, 0, labels, kept, take);
    kept += take;
  }

  private void ensureCapacity(int size) {
    if (size > scores.length) {
      int capacity = Math.min(PAIR_LIMIT, Math.max(size, scores.length * 2));
      scores = Arrays.copyOf(scores, capacity);
      labels = Arrays.copyOf(labels, capacity);
    }
  }

  public long predictions() {
    return predictions;
  }

  public long labelled() {
    return labelled;
  }

  /** Labelled share of the window's predictions, in [0, 1]; NaN before any prediction is seen. */
  public double coverage() {
    return predictions == 0 ? Double.NaN : Math.min(1.0, (double) labelled / predictions);
  }

  /** True while every labelled pair is kept (metrics are exact). */
  public boolean exact() {
    return labelled == kept;
  }

  public double[] scores() {
    return Arrays.copyOf(scores, kept);
  }

  public double[] labels() {
    return Arrays.copyOf(labels, kept);
  }

  /** Classification metrics at {@code threshold}, or null with no labelled pair. */
  public ClassificationMetrics classification(double threshold) {
    if (kept == 0) {
      return null;
    }
    int[] y = new int[kept];
    for (int i = 0; i < kept; i++) {
      y[i] = (int) labels[i];
    }
    return ClassificationMetrics.of(scores(), y, threshold);
  }

  /** Regression metrics, or null with no labelled pair. */
  public RegressionMetrics regression() {
    return kept == 0 ? null : RegressionMetrics.of(scores(), labels());
  }

  /** Metrics of the task, as a result document. */
  public PerformanceResult result(String modelId, String segment, Task task, double threshold,
      long windowStart, long windowEnd, long computedAt) {
    return PerformanceResult.of(modelId, segment, windowStart, windowEnd, this,
        task == Task.BINARY_CLASSIFICATION ? classification(threshold) : null,
        task == Task.REGRESSION ? regression() : null, computedAt);
  }

  public void write(DataOutput out) throws IOException {
    out.writeLong(predictions);
    out.writeLong(labelled);
    out.writeInt(kept);
    for (int i = 0; i < kept; i++) {
      out.writeDouble(scores[i]);
      out.writeDouble(labels[i]);
    }
  }

  public static PerformanceWindow read(DataInput in) throws IOException {
    PerformanceWindow w = new PerformanceWindow();
    w.predictions = in.readLong();
    w.labelled = in.readLong();
    w.kept = in.readInt();
    w.scores = new double[Math.max(16, w.kept)];
    w.labels = new double[w.scores.length];
    for (int i = 0; i < w.kept; i++) {
      w.scores[i] = in.readDouble();
      w.labels[i] = in.readDouble();
    }
    return w;
  }
}
