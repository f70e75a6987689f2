package dev.driftline.core.window;

import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.metrics.ClassificationCounts;
import dev.driftline.core.metrics.ClassificationMetrics;
import dev.driftline.core.metrics.MulticlassMetrics;
import dev.driftline.core.metrics.RegressionMetrics;
import dev.driftline.core.metrics.RegressionSums;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.Task;
import dev.driftline.core.stats.NumericHistogram;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A window's predictions and the labels known so far, as a bounded, mergeable summary: whatever
 * the traffic, adding an outcome costs O(1) and the summary holds at most {@link #PAIR_LIMIT}
 * pairs or one {@link #AUC_BINS}-bin histogram.
 *
 * <p>Counts and exact sums ({@link dev.driftline.core.stats.ExactSum}) make accuracy, precision,
 * recall, F1, positive rate, log loss, Brier score, MAE and RMSE exact for any number of labels, and
 * bit-identical whatever the order of the outcomes and of the merges of partial windows. ROC
 * AUC is exact (the midrank Mann-Whitney statistic of every pair) while the window has at most
 * {@link #PAIR_LIMIT} labelled classifications; past that it comes from a histogram of the scores
 * per class over {@link #AUC_BINS} equal-width bins of [0, 1], where only pairs of a positive and a
 * negative in the same bin are not ordered: they count as ties, so the AUC is off by at most
 * {@link #aucErrorBound()} {@code = ½ · Σ_b pos_b · neg_b / (P · N)}, reported with every result.
 *
 * <p>The labels themselves are kept for label drift: a classifier's per class (the confusion
 * counts), a regressor's in a {@link NumericHistogram} of at most {@link #LABEL_BUCKETS} buckets
 * (every value exactly while there are at most that many distinct ones).
 *
 * <p>A multiclass classifier's window ({@link #of(MonitorSpec)}) holds its labels in a {@link
 * MulticlassWindow} instead: confusion counts, the exact log-loss sum and, for the one-vs-rest
 * AUCs, the pairs or one score histogram per class; its outcomes carry their class probabilities
 * and their label as the class's index.
 *
 * <p>Mutable and not thread-safe: one instance per window and key.
 */
public final class PerformanceWindow {
  /** Labelled classifications kept as pairs, so the AUC of windows up to this size is exact. */
  public static final int PAIR_LIMIT = 2_000;
  /** Equal-width score bins of the AUC histogram past {@link #PAIR_LIMIT}. */
  public static final int AUC_BINS = ScoreBins.BINS;
  /** Buckets of a regressor's label histogram, as many as a drift window keeps per feature. */
  public static final int LABEL_BUCKETS = WindowSummary.MAX_BUCKETS;

  private final Task task;
  private final double threshold;
  private long predictions;
  private long labelled;
  private ClassificationCounts counts;
  private RegressionSums errors = new RegressionSums();
  /** A regressor's labels; null for classifiers (their counts hold the classes). */
  private NumericHistogram labels;
  /** Classification pairs while {@code labelled <= PAIR_LIMIT}; null once the histogram holds them. */
  private double[] scores = new double[16];
  private boolean[] positive = new boolean[16];
  private int kept;
  /** The scores of positive and of negative labels; null while pairs are kept. */
  private ScoreBins bins;
  /** A multiclass classifier's labelled examples; null for the other tasks. */
  private MulticlassWindow multiclass;

  /**
   * A binary classifier's or a regressor's window.
   *
   * @param threshold the decision threshold of a classifier's counts (ignored for regression)
   */
  public PerformanceWindow(Task task, double threshold) {
    this.task = task;
    this.threshold = threshold;
    this.counts = new ClassificationCounts(threshold);
    this.labels = task == Task.REGRESSION ? new NumericHistogram(LABEL_BUCKETS) : null;
    if (task == Task.MULTICLASS_CLASSIFICATION) {
      throw new IllegalArgumentException("a multiclass window needs its classes: use PerformanceWindow.of(spec)");
    }
  }

  private PerformanceWindow(int classes) {
    this.task = Task.MULTICLASS_CLASSIFICATION;
    this.threshold = 0;
    this.counts = new ClassificationCounts(threshold);
    this.multiclass = new MulticlassWindow(classes);
  }

  /** An empty window of {@code spec}'s model. */
  public static PerformanceWindow of(MonitorSpec spec) {
    return spec.task() == Task.MULTICLASS_CLASSIFICATION
        ? new PerformanceWindow(spec.classes().size())
        : new PerformanceWindow(spec.task(), spec.classificationThreshold());
  }

  public void add(Outcome o) {
    if (o.countsAsPrediction()) {
      predictions++;
    }
    if (!o.isLabelled()) {
      return;
    }
    labelled++;
    double score = o.score();
    if (multiclass != null) {
      multiclass.add(o.classScores(), (int) o.label());
      return;
    }
    if (task != Task.BINARY_CLASSIFICATION) {
      errors.add(score, o.label());
      labels.add(o.label());
      return;
    }
    boolean actual = o.label() == 1;
    counts.add(score, actual);
    keepPair(score, actual);
  }

  private void keepPair(double score, boolean actual) {
    if (bins != null) {
      bins.add(score, actual);
      return;
    }
    if (kept == PAIR_LIMIT) {
      toHistogram();
      keepPair(score, actual);
      return;
    }
    if (kept == scores.length) {
      int capacity = Math.min(PAIR_LIMIT, kept * 2);
      scores = Arrays.copyOf(scores, capacity);
      positive = Arrays.copyOf(positive, capacity);
    }
    scores[kept] = score;
    positive[kept] = actual;
    kept++;
  }

  private void toHistogram() {
    bins = new ScoreBins();
    for (int i = 0; i < kept; i++) {
      bins.add(scores[i], positive[i]);
    }
    scores = null;
    positive = null;
    kept = 0;
  }

  /** Folds {@code other} (same task and threshold) into this one; the order of merges does not change a count. */
  public void merge(PerformanceWindow other) {
    if (other.task != task || Double.compare(other.threshold, threshold) != 0) {
      throw new IllegalArgumentException("performance windows of different models");
    }
    predictions += other.predictions;
    labelled += other.labelled;
    if (multiclass != null) {
      multiclass.merge(other.multiclass);
      return;
    }
    counts.merge(other.counts);
    errors.merge(other.errors);
    if (labels != null) {
      labels.merge(other.labels);
    }
    if (other.bins != null) {
      if (bins == null) {
        toHistogram();
      }
      bins.merge(other.bins);
    } else {
      for (int i = 0; i < other.kept; i++) {
        keepPair(other.scores[i], other.positive[i]);
      }
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

  /**
   * A classifier's labels known so far, per class ({@code "0"}, {@code "1"}; both present, zero
   * or not); null for a regressor.
   */
  public Map<String, Long> labelCounts() {
    if (task != Task.BINARY_CLASSIFICATION) {
      return null;
    }
    long positives = counts.actualPositives();
    Map<String, Long> out = new TreeMap<>();
    out.put(LabelClasses.NEGATIVE, counts.n() - positives);
    out.put(LabelClasses.POSITIVE, positives);
    return out;
  }

  /**
   * A multiclass classifier's labels known so far, per class named by {@code classes} (the spec's,
   * in its order; every class present, zero or not); null for the other tasks.
   */
  public Map<String, Long> labelCounts(List<String> classes) {
    return multiclass == null ? null : multiclass.labelCounts(classes);
  }

  /** A regressor's labels known so far; null for a classifier or before the first label. */
  public NumericSample labelValues() {
    return labels == null || labels.isEmpty() ? null : new NumericSample(labels.buckets());
  }

  /** True while every metric equals a batch recomputation over the window's pairs (the AUC is not from bins). */
  public boolean exact() {
    return multiclass != null ? multiclass.exact() : bins == null;
  }

  /**
   * Largest possible difference between the reported AUC and the exact one: 0 while pairs are
   * kept, else half the share of (positive, negative) pairs that fall in one bin.
   */
  public double aucErrorBound() {
    if (multiclass != null) {
      return multiclass.aucErrorBound();
    }
    return bins == null ? 0 : bins.errorBound();
  }

  /** Classification metrics, or null with no labelled pair or for another task. */
  public ClassificationMetrics classification() {
    if (labelled == 0 || task != Task.BINARY_CLASSIFICATION) {
      return null;
    }
    return counts.metrics(rocAuc());
  }

  private double rocAuc() {
    if (bins == null) {
      int[] y = new int[kept];
      for (int i = 0; i < kept; i++) {
        y[i] = positive[i] ? 1 : 0;
      }
      return ClassificationMetrics.rocAuc(Arrays.copyOf(scores, kept), y);
    }
    return bins.auc();
  }

  /** Regression metrics, or null with no labelled pair or for another task. */
  public RegressionMetrics regression() {
    return labelled == 0 || task != Task.REGRESSION ? null : errors.metrics();
  }

  /** Multiclass metrics, or null with no labelled example or for another task. */
  public MulticlassMetrics multiclass() {
    return multiclass == null ? null : multiclass.metrics();
  }

  /** Metrics of the task, as a result document; {@code spec} names a multiclass model's classes. */
  public PerformanceResult result(MonitorSpec spec, String segment, long windowStart, long windowEnd, long computedAt) {
    return PerformanceResult.of(spec.modelId(), segment, windowStart, windowEnd, this, classification(), regression(),
        multiclass(), spec.classes(), computedAt);
  }

  // ---------------------------------------------------------------- binary form, for Flink state

  /**
   * 3: exact sums replace version 2's plain double sums; 4: a regressor's label histogram (for
   * label drift) follows the sums. No reader for earlier versions. Binary classifiers and
   * regressors still write version 4.
   */
  private static final int VERSION = 4;
  /**
   * A multiclass classifier's window: the version byte, the task, the prediction and label counts,
   * then {@link MulticlassWindow}'s layout.
   */
  private static final int MULTICLASS_VERSION = 5;

  public void write(DataOutput out) throws IOException {
    if (multiclass != null) {
      out.writeByte(MULTICLASS_VERSION);
      out.writeUTF(task.name());
      out.writeLong(predictions);
      out.writeLong(labelled);
      multiclass.write(out);
      return;
    }
    out.writeByte(VERSION);
    out.writeUTF(task.name());
    out.writeDouble(threshold);
    out.writeLong(predictions);
    out.writeLong(labelled);
    counts.write(out);
    errors.write(out);
    if (labels != null) {
      labels.write(out);
    }
    if (bins == null) {
      out.writeInt(kept);
      for (int i = 0; i < kept; i++) {
        out.writeDouble(scores[i]);
        out.writeBoolean(positive[i]);
      }
    } else {
      out.writeInt(-1);
      bins.write(out);
    }
  }

  public static PerformanceWindow read(DataInput in) throws IOException {
    int version = in.readByte();
    if (version != VERSION && version != MULTICLASS_VERSION) {
      throw new IOException("unknown performance window version " + version);
    }
    String taskName = in.readUTF();
    Task task;
    try {
      task = Task.valueOf(taskName);
    } catch (IllegalArgumentException e) {
      throw new IOException("performance window of unknown task \"" + taskName + "\"");
    }
    if ((version == MULTICLASS_VERSION) != (task == Task.MULTICLASS_CLASSIFICATION)) {
      throw new IOException("performance window version " + version + " of task " + taskName);
    }
    if (version == MULTICLASS_VERSION) {
      long predictions = in.readLong();
      long labelled = in.readLong();
      MulticlassWindow m = MulticlassWindow.read(in);
      PerformanceWindow w = new PerformanceWindow(m.classes());
      w.predictions = predictions;
      w.labelled = labelled;
      w.multiclass = m;
      return w;
    }
    PerformanceWindow w = new PerformanceWindow(task, in.readDouble());
    w.predictions = in.readLong();
    w.labelled = in.readLong();
    w.counts = ClassificationCounts.read(w.threshold, in);
    w.errors = RegressionSums.read(in);
    if (task == Task.REGRESSION) {
      w.labels = NumericHistogram.read(in);
      if (w.labels.maxBuckets() != LABEL_BUCKETS) {
        throw new IOException("performance window label histogram of " + w.labels.maxBuckets() + " buckets, "
            + LABEL_BUCKETS + " expected");
      }
    }
    int kept = in.readInt();
    if (kept > PAIR_LIMIT) {
      throw new IOException("performance window with " + kept + " pairs, at most " + PAIR_LIMIT + " expected");
    }
    if (kept >= 0) {
      w.scores = new double[Math.max(16, kept)];
      w.positive = new boolean[w.scores.length];
      for (int i = 0; i < kept; i++) {
        w.scores[i] = in.readDouble();
        w.positive[i] = in.readBoolean();
      }
      w.kept = kept;
    } else {
      w.scores = null;
      w.positive = null;
      w.bins = ScoreBins.read(in);
    }
    return w;
  }
}
