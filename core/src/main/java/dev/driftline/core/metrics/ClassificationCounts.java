package dev.driftline.core.metrics;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The confusion counts at a threshold and the log-loss and Brier sums of binary classifications,
 * added one at a time and mergeable: everything of {@link ClassificationMetrics} but the AUC, in
 * O(1) state. Scores are probabilities in [0, 1]; a prediction is positive when
 * {@code score >= threshold}. Mutable and not thread-safe.
 */
public final class ClassificationCounts {
  private final double threshold;
  private long tp;
  private long fp;
  private long tn;
  private long fn;
  private double logLossSum;
  private double brierSum;

  public ClassificationCounts(double threshold) {
    this.threshold = threshold;
  }

  public void add(double score, boolean actual) {
    if (score >= threshold) {
      if (actual) {
        tp++;
      } else {
        fp++;
      }
    } else if (actual) {
      fn++;
    } else {
      tn++;
    }
    logLossSum += ClassificationMetrics.logLossTerm(score, actual);
    double d = score - (actual ? 1 : 0);
    brierSum += d * d;
  }

  /** Folds {@code other} (same threshold) into these counts. */
  public void merge(ClassificationCounts other) {
    tp += other.tp;
    fp += other.fp;
    tn += other.tn;
    fn += other.fn;
    logLossSum += other.logLossSum;
    brierSum += other.brierSum;
  }

  public long n() {
    return tp + fp + tn + fn;
  }

  /** The metrics of the classifications added so far, with {@code rocAuc} computed elsewhere; at least one is needed. */
  public ClassificationMetrics metrics(double rocAuc) {
    long n = n();
    return ClassificationMetrics.fromCounts(threshold, tp, fp, tn, fn, rocAuc, logLossSum / n, brierSum / n);
  }

  /** The counts and sums (not the threshold) in binary form. */
  public void write(DataOutput out) throws IOException {
    out.writeLong(tp);
    out.writeLong(fp);
    out.writeLong(tn);
    out.writeLong(fn);
    out.writeDouble(logLossSum);
    out.writeDouble(brierSum);
  }

  /** Counts and sums written by {@link #write}, for {@code threshold}. */
  public static ClassificationCounts read(double threshold, DataInput in) throws IOException {
    ClassificationCounts c = new ClassificationCounts(threshold);
    c.tp = in.readLong();
    c.fp = in.readLong();
    c.tn = in.readLong();
    c.fn = in.readLong();
    c.logLossSum = in.readDouble();
    c.brierSum = in.readDouble();
    return c;
  }
}
