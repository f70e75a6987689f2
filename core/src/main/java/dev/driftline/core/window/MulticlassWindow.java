package dev.driftline.core.window;

import dev.driftline.core.metrics.ClassificationMetrics;
import dev.driftline.core.metrics.MulticlassMetrics;
import dev.driftline.core.stats.ExactSum;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labelled part of a multiclass classifier's performance window, bounded and mergeable: a
 * k×k confusion count, the exact sum of the log-loss terms ({@link ExactSum}), and for the
 * one-vs-rest AUCs either the window's pairs (class probabilities and label, while there are at
 * most {@link PerformanceWindow#PAIR_LIMIT}) or one {@link ScoreBins} per class. Counts and exact
 * sums do not depend on the order of the examples or of the merges, nor do the pairs as a set;
 * so every metric is the same whatever the order, and equals {@link MulticlassMetrics} of the
 * window's examples (the log loss to the last bit of its exact sum; the AUCs exactly while pairs
 * are kept, within {@link #aucErrorBound()} after).
 *
 * <p>Mutable and not thread-safe.
 */
final class MulticlassWindow {
  private final int k;
  private final long[][] confusion;
  private ExactSum logLoss = new ExactSum();
  /** Pairs, row-major: {@code rows[i * k + c]} is example i's probability of class c. Null once bins hold them. */
  private double[] rows;
  private int[] labels;
  private int kept;
  /** Per class, its examples' probability of the class against the other examples'; null while pairs are kept. */
  private ScoreBins[] bins;

  MulticlassWindow(int k) {
    this.k = k;
    this.confusion = new long[k][k];
    this.rows = new double[16 * k];
    this.labels = new int[16];
  }

  int classes() {
    return k;
  }

  /**
   * Adds one labelled example.
   *
   * @throws IllegalArgumentException when {@code p} does not have k probabilities or {@code label} is not a class
   */
  void add(double[] p, int label) {
    if (p == null || p.length != k) {
      throw new IllegalArgumentException("class probabilities of " + (p == null ? 0 : p.length) + " classes, expected " + k);
    }
    if (label < 0 || label >= k) {
      throw new IllegalArgumentException("label class " + label + ", expected 0.." + (k - 1));
    }
    int predicted = 0;
    for (int c = 1; c < k; c++) {
      if (p[c] > p[predicted]) {
        predicted = c;
      }
    }
    confusion[label][predicted]++;
    logLoss.add(MulticlassMetrics.logLossTerm(p, label));
    keep(p, 0, label);
  }

  private void keep(double[] from, int offset, int label) {
    if (bins != null) {
      for (int c = 0; c < k; c++) {
        bins[c].add(from[offset + c], label == c);
      }
      return;
    }
    if (kept == PerformanceWindow.PAIR_LIMIT) {
      toBins();
      keep(from, offset, label);
      return;
    }
    if (kept == labels.length) {
      int capacity = Math.min(PerformanceWindow.PAIR_LIMIT, kept * 2);
      rows = Arrays.copyOf(rows, capacity * k);
      labels = Arrays.copyOf(labels, capacity);
    }
    System.arraycopy(from, offset, rows, kept * k, k);
    labels[kept] = label;
    kept++;
  }

  private void toBins() {
    bins = new ScoreBins[k];
    for (int c = 0; c < k; c++) {
      bins[c] = new ScoreBins();
    }
    double[] heldRows = rows;
    int[] heldLabels = labels;
    int held = kept;
    rows = null;
    labels = null;
    kept = 0;
    for (int i = 0; i < held; i++) {
      keep(heldRows, i * k, heldLabels[i]);
    }
  }

  void merge(MulticlassWindow other) {
    if (other.k != k) {
      throw new IllegalArgumentException("performance windows of " + k + " and " + other.k + " classes");
    }
    for (int a = 0; a < k; a++) {
      for (int p = 0; p < k; p++) {
        confusion[a][p] += other.confusion[a][p];
      }
    }
    logLoss.merge(other.logLoss);
    if (other.bins != null) {
      if (bins == null) {
        toBins();
      }
      for (int c = 0; c < k; c++) {
        bins[c].merge(other.bins[c]);
      }
    } else {
      for (int i = 0; i < other.kept; i++) {
        keep(other.rows, i * k, other.labels[i]);
      }
    }
  }

  long n() {
    long n = 0;
    for (long[] row : confusion) {
      for (long v : row) {
        n += v;
      }
    }
    return n;
  }

  /** True while the AUCs come from the window's pairs. */
  boolean exact() {
    return bins == null;
  }

  /**
   * Largest possible difference between the macro AUC and the exact one: 0 while pairs are kept,
   * else the mean, over the classes that have an AUC, of each class's {@link ScoreBins#errorBound()}.
   */
  double aucErrorBound() {
    if (bins == null) {
      return 0;
    }
    double sum = 0;
    int classes = 0;
    for (ScoreBins b : bins) {
      if (!Double.isNaN(b.auc())) {
        sum += b.errorBound();
        classes++;
      }
    }
    return classes == 0 ? 0 : sum / classes;
  }

  /** The window's metrics; null before the first label. */
  MulticlassMetrics metrics() {
    long n = n();
    if (n == 0) {
      return null;
    }
    double[] auc = new double[k];
    double sum = 0;
    int classes = 0;
    for (int c = 0; c < k; c++) {
      auc[c] = bins != null ? bins[c].auc() : exactAuc(c);
      if (!Double.isNaN(auc[c])) {
        sum += auc[c];
        classes++;
      }
    }
    long[][] copy = new long[k][];
    for (int a = 0; a < k; a++) {
      copy[a] = confusion[a].clone();
    }
    return MulticlassMetrics.fromConfusion(copy, logLoss.value() / n, auc, classes == 0 ? Double.NaN : sum / classes);
  }

  private double exactAuc(int c) {
    double[] scores = new double[kept];
    int[] positive = new int[kept];
    for (int i = 0; i < kept; i++) {
      scores[i] = rows[i * k + c];
      positive[i] = labels[i] == c ? 1 : 0;
    }
    return ClassificationMetrics.rocAuc(scores, positive);
  }

  /** The labels per class, by name in the order of {@code names} (every class present, zero or not). */
  Map<String, Long> labelCounts(List<String> names) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int a = 0; a < k; a++) {
      long support = 0;
      for (long v : confusion[a]) {
        support += v;
      }
      out.put(names.get(a), support);
    }
    return out;
  }

  /** k, the confusion counts, the log-loss sum, then the pairs (a count, rows and labels) or -1 and each class's bins. */
  void write(DataOutput out) throws IOException {
    out.writeInt(k);
    for (long[] row : confusion) {
      for (long v : row) {
        out.writeLong(v);
      }
    }
    logLoss.write(out);
    if (bins == null) {
      out.writeInt(kept);
      for (int i = 0; i < kept * k; i++) {
        out.writeDouble(rows[i]);
      }
      for (int i = 0; i < kept; i++) {
        out.writeInt(labels[i]);
      }
    } else {
      out.writeInt(-1);
      for (ScoreBins b : bins) {
        b.write(out);
      }
    }
  }

  static MulticlassWindow read(DataInput in) throws IOException {
    int k = in.readInt();
    if (k < 2 || k > 10_000) {
      throw new IOException("performance window of " + k + " classes, expected 2 to 10000");
    }
    MulticlassWindow w = new MulticlassWindow(k);
    for (int a = 0; a < k; a++) {
      for (int p = 0; p < k; p++) {
        w.confusion[a][p] = in.readLong();
      }
    }
    w.logLoss = ExactSum.read(in);
    int kept = in.readInt();
    if (kept > PerformanceWindow.PAIR_LIMIT) {
      throw new IOException("performance window with " + kept + " pairs, at most " + PerformanceWindow.PAIR_LIMIT
          + " expected");
    }
    if (kept >= 0) {
      int capacity = Math.max(16, kept);
      w.rows = new double[capacity * k];
      w.labels = new int[capacity];
      for (int i = 0; i < kept * k; i++) {
        w.rows[i] = in.readDouble();
      }
      for (int i = 0; i < kept; i++) {
        int label = in.readInt();
        if (label < 0 || label >= k) {
          throw new IOException("performance window label class " + label + ", expected 0.." + (k - 1));
        }
        w.labels[i] = label;
      }
      w.kept = kept;
    } else {
      w.rows = null;
      w.labels = null;
      w.bins = new ScoreBins[k];
      for (int c = 0; c < k; c++) {
        w.bins[c] = ScoreBins.read(in);
      }
    }
    return w;
  }
}
