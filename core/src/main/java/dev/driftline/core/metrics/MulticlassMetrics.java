package dev.driftline.core.metrics;

/**
 * Quality of a multiclass classifier's class probabilities against class labels over one window,
 * over the model's declared classes {@code 0..k-1} (a class never seen in the window still counts
 * in the macro averages, as scikit-learn's {@code labels=range(k)} makes it).
 *
 * <p>The predicted class is the most probable one (the first of equal ones, as {@code argmax}).
 * Per class c: precision {@code tp / (tp + fp)}, recall {@code tp / (tp + fn)} and F1
 * {@code 2 tp / (2 tp + fp + fn)}, each 0 when undefined ({@code zero_division=0}). Macro averages
 * are the plain means over the k classes, weighted ones weigh each class by its support (its
 * labels), micro ones count every example once and equal the accuracy. The log loss is the mean of
 * {@code -ln p} of each example's true class after its row is clipped to {@code [1e-15, 1 - 1e-15]}
 * and renormalized (scikit-learn 1.2's {@code log_loss}). The one-vs-rest AUC of class c is the
 * binary AUC of {@code label == c} against column c ({@link ClassificationMetrics#rocAuc}); its
 * macro average is over the classes that have both positive and negative examples, NaN with none
 * (scikit-learn refuses a class without both).
 *
 * @param confusion {@code confusion[actual][predicted]} counts
 * @param precision per class
 * @param recall per class
 * @param f1 per class
 * @param auc per class, one-vs-rest; NaN for a class without both kinds of example
 */
public record MulticlassMetrics(
    long n,
    long[][] confusion,
    double accuracy,
    double[] precision,
    double[] recall,
    double[] f1,
    double macroPrecision,
    double macroRecall,
    double macroF1,
    double weightedPrecision,
    double weightedRecall,
    double weightedF1,
    double logLoss,
    double[] auc,
    double macroAuc) {

  /** Micro-averaged precision, recall and F1: with one label per example, all equal the accuracy. */
  public double micro() {
    return accuracy;
  }

  /**
   * Metrics of {@code probabilities} ({@code n × k}, finite, in [0, 1]) against {@code labels}
   * (each in {@code 0..k-1}), non-empty and of equal length. Stateless and thread-safe.
   */
  public static MulticlassMetrics of(double[][] probabilities, int[] labels, int classes) {
    MetricInputs.requireNonEmpty("labels", labels == null ? 0 : labels.length, labels);
    MetricInputs.requireNonEmpty("probabilities", probabilities == null ? 0 : probabilities.length, probabilities);
    MetricInputs.requireSameLength("probabilities", probabilities.length, "labels", labels.length);
    if (classes < 2) {
      throw new IllegalArgumentException("classes is " + classes + ", expected at least 2");
    }
    int n = labels.length;
    long[][] confusion = new long[classes][classes];
    double logLoss = 0;
    for (int i = 0; i < n; i++) {
      double[] row = probabilities[i];
      if (row == null || row.length != classes) {
        throw new IllegalArgumentException("probabilities[" + i + "] has " + (row == null ? 0 : row.length)
            + " values, expected " + classes);
      }
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("labels[" + i + "] is " + labels[i] + ", expected 0.." + (classes - 1));
      }
      MetricInputs.requireFinite("probabilities[" + i + "]", row);
      int predicted = 0;
      for (int c = 0; c < classes; c++) {
        if (row[c] < 0 || row[c] > 1) {
          throw new IllegalArgumentException(
              "probabilities[" + i + "][" + c + "] is " + row[c] + ", expected a probability in [0, 1]");
        }
        if (row[c] > row[predicted]) {
          predicted = c;
        }
      }
      confusion[labels[i]][predicted]++;
      logLoss += logLossTerm(row, labels[i]);
    }
    double[] auc = new double[classes];
    double aucSum = 0;
    int aucClasses = 0;
    for (int c = 0; c < classes; c++) {
      double[] scores = new double[n];
      int[] positive = new int[n];
      for (int i = 0; i < n; i++) {
        scores[i] = probabilities[i][c];
        positive[i] = labels[i] == c ? 1 : 0;
      }
      auc[c] = ClassificationMetrics.rocAuc(scores, positive);
      if (!Double.isNaN(auc[c])) {
        aucSum += auc[c];
        aucClasses++;
      }
    }
    return fromConfusion(confusion, logLoss / n, auc, aucClasses == 0 ? Double.NaN : aucSum / aucClasses);
  }

  /** The log-loss term of one example: {@code -ln} of its true class's clipped, renormalized probability. */
  public static double logLossTerm(double[] row, int actual) {
    double sum = 0;
    for (double p : row) {
      sum += clip(p);
    }
    return -Math.log(clip(row[actual]) / sum);
  }

  /** Metrics from a confusion matrix, the averaged log loss and the one-vs-rest AUCs. */
  public static MulticlassMetrics fromConfusion(long[][] confusion, double logLoss, double[] auc, double macroAuc) {
    int k = confusion.length;
    long n = 0;
    long correct = 0;
    long[] predicted = new long[k];
    long[] support = new long[k];
    for (int a = 0; a < k; a++) {
      for (int p = 0; p < k; p++) {
        n += confusion[a][p];
        predicted[p] += confusion[a][p];
        support[a] += confusion[a][p];
      }
      correct += confusion[a][a];
    }
    if (n == 0) {
      throw new IllegalArgumentException("no examples");
    }
    double[] precision = new double[k];
    double[] recall = new double[k];
    double[] f1 = new double[k];
    double[] macro = new double[3];
    double[] weighted = new double[3];
    for (int c = 0; c < k; c++) {
      long tp = confusion[c][c];
      long fp = predicted[c] - tp;
      long fn = support[c] - tp;
      precision[c] = divideOrZero(tp, tp + fp);
      recall[c] = divideOrZero(tp, tp + fn);
      f1[c] = divideOrZero(2 * tp, 2 * tp + fp + fn);
      macro[0] += precision[c] / k;
      macro[1] += recall[c] / k;
      macro[2] += f1[c] / k;
      weighted[0] += precision[c] * support[c] / n;
      weighted[1] += recall[c] * support[c] / n;
      weighted[2] += f1[c] * support[c] / n;
    }
    return new MulticlassMetrics(n, confusion, (double) correct / n, precision, recall, f1, macro[0], macro[1], macro[2],
        weighted[0], weighted[1], weighted[2], logLoss, auc, macroAuc);
  }

  private static double clip(double p) {
    return Math.min(Math.max(p, ClassificationMetrics.LOG_LOSS_EPSILON), 1 - ClassificationMetrics.LOG_LOSS_EPSILON);
  }

  private static double divideOrZero(long numerator, long denominator) {
    return denominator == 0 ? 0.0 : (double) numerator / denominator;
  }
}
