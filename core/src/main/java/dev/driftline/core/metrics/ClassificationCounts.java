package dev.driftline.core.metrics;

import dev.driftline.core.stats.ExactSum;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The confusion counts at a threshold and the log-loss and Brier sums of binary classifications,
 * added one at a time and mergeable: everything of {@link ClassificationMetrics} but the AUC, in
 * O(1) state. Scores are probabilities in [0, 1]; a prediction is positive when
 * {@code score >= threshold}. The sums are {@link ExactSum}s, so the metrics of a set of
 * classifications are bit-identical however they were added and merged. Mutable and not
 * thread-safe.
 */
public final class ClassificationCounts {
  private final double threshold;
  private long tp;
  private long fp;
  private long tn;
  private long fn;
  private ExactSum logLossSum = new ExactSum();
  private ExactSum brierSum = new ExactSum();

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
    logLossSum.add(ClassificationMetrics.logLossTerm(score, actual));
    double d = score - (actual ? 1 : 0);
    brierSum.add(d * d);
  }

  /** Folds {@code other} (same threshold) into these counts. */
  public void merge(ClassificationCounts other) {
    tp += other.tp;
    fp += other.fp;
    tn += other.tn;
    fn += other.fn;
    logLossSum.merge(other.logLossSum);
    brierSum.merge(other.brierSum);
  }

  public long n() {
    return tp + fp + tn + fn;
  }

  /** Classifications whose label is 1. */
  public long actualPositives() {
    return tp + fn;
  }

  /** The metrics of the classifications added so far, with {@code rocAuc} computed elsewhere; at least one is needed. */
  public ClassificationMetrics metrics(double rocAuc) {
    long n = n();
    return ClassificationMetrics.fromCounts(threshold, tp, fp, tn, fn, rocAuc, logLossSum.value() / n,
        brierSum.value() / n);
  }

  /** The counts and sums (not the threshold) in binary form. */
  public void write(DataOutput out) throws IOException {
    out.writeLong(tp);
    out.writeLong(fp);
    out.writeLong(tn);
    out.writeLong(fn);
    logLossSum.write(out);
    brierSum.write(out);
  }

  /** Counts and sums written by {@link #write}, for {@code threshold}. */
  public static ClassificationCounts read(double threshold, DataInput in) throws IOException {
    ClassificationCounts c = new ClassificationCounts(threshold);
    c.tp = in.readLong();
    c.fp = in.readLong();
    c.tn = in.readLong();
    c.fn = in.readLong();
    if (c.tp < 0 || c.fp < 0 || c.tn < 0 || c.fn < 0) {
      throw new IOException("classification counts " + c.tp + ", " + c.fp + ", " + c.tn + ", " + c.fn
          + ": expected none negative");
    }
    c.logLossSum = ExactSum.read(in);
    c.brierSum = ExactSum.read(in);
    return c;
  }
}
