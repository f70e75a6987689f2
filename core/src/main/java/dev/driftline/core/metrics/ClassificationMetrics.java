package dev.driftline.core.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Quality of a binary classifier's scores against 0/1 labels over one window.
 *
 * <p>Threshold metrics count a prediction as positive when {@code score >= threshold}. As with
 * scikit-learn's {@code zero_division=0}, precision is 0 when nothing is predicted positive,
 * recall is 0 when no label is positive, and F1 ({@code 2 tp / (2 tp + fp + fn)}) is 0 when both
 * are. {@code rocAuc} is the Mann-Whitney U statistic over {@code positives * negatives} with tied
 * scores given midranks (equal to {@code sklearn.metrics.roc_auc_score}); it is NaN when only one
 * class is present. {@code logLoss} is the mean negative natural-log likelihood with scores clipped
 * to {@code [1e-15, 1 - 1e-15]}; {@code brier} is the mean squared difference of score and label.
 *
 * @param threshold decision threshold used for the counts
 * @param n number of examples
 * @param positives number of examples labelled 1
 * @param tp true positives
 * @param fp false positives
 * @param tn true negatives
 * @param fn false negatives
 * @param accuracy {@code (tp + tn) / n}
 * @param precision {@code tp / (tp + fp)}, 0 if undefined
 * @param recall {@code tp / (tp + fn)}, 0 if undefined
 * @param f1 harmonic mean of precision and recall, 0 if undefined
 * @param rocAuc area under the ROC curve in [0, 1], NaN if one class only
 * @param logLoss mean log loss (natural log), >= 0
 * @param brier Brier score in [0, 1]
 */
public record ClassificationMetrics(
    double threshold,
    long n,
    long positives,
    long tp,
    long fp,
    long tn,
    long fn,
    double accuracy,
    double precision,
    double recall,
    double f1,
    double rocAuc,
    double logLoss,
    double brier) {

  /**
   * The mean of recall and specificity, {@code (tp / (tp + fn) + tn / (tn + fp)) / 2}, as
   * {@code sklearn.metrics.balanced_accuracy_score} (the mean recall of the classes the labels
   * have): with labels of one class only, that class's recall. In [0, 1].
   */
  public double balancedAccuracy() {
    long negatives = tn + fp;
    if (positives == 0 || negatives == 0) {
      return positives == 0 ? (double) tn / negatives : (double) tp / positives;
    }
    return ((double) tp / positives + (double) tn / negatives) / 2;
  }

  /** Lower clip of a probability before its logarithm in {@link #logLoss}. */
  public static final double LOG_LOSS_EPSILON = 1e-15;

  /**
   * Metrics of {@code scores} (probabilities of class 1, finite, in [0, 1]) against
   * {@code labels} (0 or 1), non-empty and of equal length. Stateless and thread-safe.
   */
  public static ClassificationMetrics of(double[] scores, int[] labels, double threshold) {
    MetricInputs.requireFinite("scores", scores);
    MetricInputs.requireNonEmpty("labels", labels == null ? 0 : labels.length, labels);
    MetricInputs.requireSameLength("scores", scores.length, "labels", labels.length);
    if (Double.isNaN(threshold)) {
      throw new IllegalArgumentException("threshold is NaN");
    }
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] < 0 || scores[i] > 1) {
        throw new IllegalArgumentException(
            "scores[" + i + "] is " + scores[i] + ", expected a probability in [0, 1]");
      }
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("labels[" + i + "] is " + labels[i] + ", expected 0 or 1");
      }
    }
    ClassificationCounts counts = new ClassificationCounts(threshold);
    for (int i = 0; i < scores.length; i++) {
      counts.add(scores[i], labels[i] == 1);
    }
    return counts.metrics(rocAuc(scores, labels));
  }

  /**
   * Metrics from the confusion counts at {@code threshold} and the already averaged log loss and
   * Brier score (see {@link ClassificationCounts}); the threshold metrics follow the same
   * zero-division rules as {@link #of}.
   */
  static ClassificationMetrics fromCounts(double threshold, long tp, long fp, long tn, long fn, double rocAuc,
      double logLoss, double brier) {
    long n = tp + fp + tn + fn;
    if (n == 0) {
      throw new IllegalArgumentException("no examples");
    }
    long positives = tp + fn;
    double accuracy = (double) (tp + tn) / n;
    double precision = divideOrZero(tp, tp + fp);
    double recall = divideOrZero(tp, positives);
    double f1 = divideOrZero(2 * tp, 2 * tp + fp + fn);
    return new ClassificationMetrics(threshold, n, positives, tp, fp, tn, fn, accuracy, precision,
        recall, f1, rocAuc, logLoss, brier);
  }

  /** The log-loss term of one example: its negative log likelihood with the score clipped. */
  public static double logLossTerm(double score, boolean actual) {
    double p = Math.min(Math.max(score, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
    return actual ? -Math.log(p) : -Math.log(1 - p);
  }

  private static double divideOrZero(long numerator, long denominator) {
    return denominator == 0 ? 0.0 : (double) numerator / denominator;
  }

  /**
   * Mann-Whitney AUC of 0/1 {@code labels} with midranks (rank sums are half-integers, exact in a
   * double), independent of the pairs' order; NaN when only one class is present.
   */
  public static double rocAuc(double[] scores, int[] labels) {
    int n = scores.length;
    long positives = 0;
    for (int label : labels) {
      positives += label;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double positiveRankSum = 0;
    int start = 0;
    while (start < n) {
      int end = start;
      while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) {
        end++;
      }
      // Ranks start..end (0-based) share the midrank; 1-based it is (start + end) / 2 + 1.
      double midrank = (start + end) / 2.0 + 1;
      for (int k = start; k <= end; k++) {
        if (labels[order[k]] == 1) {
          positiveRankSum += midrank;
        }
      }
      start = end + 1;
    }
    double u = positiveRankSum - positives * (positives + 1) / 2.0;
    return u / ((double) positives * negatives);
  }
}
