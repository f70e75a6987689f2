package dev.driftline.core.estimation;

import java.util.ArrayList;
import java.util.List;

/**
 * Confidence-based performance estimation of a multiclass classifier before labels, as NannyML's
 * multiclass CBPE: each class's probability is calibrated one-vs-rest on the reference ({@link
 * #fit}), a row's calibrated probabilities are divided by their sum, and each prediction then counts
 * as a fractional label of every class c with weight {@code q_c}. The predicted class is the most
 * probable raw one (the first of equal ones).
 *
 * <ul>
 *   <li>Expected confusion counts {@code E[c][p] = Σ_{pred = p} q_c}; accuracy
 *       {@code Σ_c E[c][c] / n} and, per class, F1 {@code 2 TP / (N_pred + TP + FN)} with
 *       {@code TP = E[c][c]}, {@code FN = Σ_{p ≠ c} E[c][p]} (0 when undefined), macro F1 their mean.
 *   <li>Intervals (95 %): under the method's assumptions (the reference's P(class | probabilities)
 *       still holds and the calibration is right) each label is an independent categorical draw
 *       from its row's q. Accuracy is a sum of Bernoulli({@code q_pred}) terms, variance
 *       {@code Σ q_pred (1 − q_pred) / n²}; macro F1 is linearized (delta method): each prediction's
 *       term is the change of macro F1 its label makes, whose variance under q is summed. Each
 *       interval is {@code estimate ± 1.96 sd} clipped to [0, 1]; as for binary estimation, it does
 *       not include the calibration's own error.
 * </ul>
 *
 * <p>Works on a window's {@link ClassScoreSummary}: O(rows·k), rows at most its cell limit.
 * Stateless and thread-safe.
 */
public final class MulticlassEstimator {
  private MulticlassEstimator() {}

  /**
   * The estimate of a window.
   *
   * @param exact true when every row of probabilities was known exactly (the summary was not coarsened)
   * @param accuracy estimated accuracy with its interval
   * @param macroF1 estimated macro F1 with its interval
   * @param expectedConfusion {@code [actual][predicted]} expected counts
   */
  public record Estimate(long predictions, boolean exact, EstimatedMetric accuracy, EstimatedMetric macroF1,
      double[][] expectedConfusion) {}

  /**
   * One calibration per class, fitted one-vs-rest on the reference's {@code probabilities} (n × k)
   * against its {@code labels} (each in 0..k-1); a class never labelled in the reference cannot be
   * calibrated.
   *
   * @throws IllegalArgumentException naming the class without labels
   */
  public static List<ScoreCalibration> fit(CalibrationMethod method, double[][] probabilities, int[] labels, int classes) {
    List<ScoreCalibration> out = new ArrayList<>(classes);
    for (int c = 0; c < classes; c++) {
      double[] scores = new double[labels.length];
      boolean[] positive = new boolean[labels.length];
      boolean any = false;
      for (int i = 0; i < labels.length; i++) {
        scores[i] = probabilities[i][c];
        positive[i] = labels[i] == c;
        any |= positive[i];
      }
      if (!any) {
        throw new IllegalArgumentException("class " + c + " has no label in the reference; expected every class labelled");
      }
      out.add(ScoreCalibration.fit(method, scores, positive));
    }
    return out;
  }

  /** A row's calibrated probabilities, divided by their sum (uniform when all calibrate to 0). */
  public static double[] calibrated(double[] row, List<ScoreCalibration> calibrations) {
    int k = row.length;
    double[] q = new double[k];
    double sum = 0;
    for (int c = 0; c < k; c++) {
      q[c] = calibrations.get(c).apply(row[c]);
      sum += q[c];
    }
    for (int c = 0; c < k; c++) {
      q[c] = sum > 0 ? q[c] / sum : 1.0 / k;
    }
    return q;
  }

  /**
   * The estimate over the window's {@code probabilities} (n × k), null when it has none: that of
   * {@link ClassScoreSummary#exact} of them, so it does not depend on the rows' order.
   */
  public static Estimate estimate(double[][] probabilities, List<ScoreCalibration> calibrations) {
    int k = calibrations.size();
    for (int i = 0; i < probabilities.length; i++) {
      if (probabilities[i].length != k) {
        throw new IllegalArgumentException("probabilities[" + i + "] has " + probabilities[i].length + " values, expected " + k);
      }
    }
    return estimate(ClassScoreSummary.exact(probabilities, k), calibrations);
  }

  /**
   * The estimate over a window's summary of class probabilities (one calibration per class), null
   * when it has none. Each distinct row counts as many times as it came, in the summary's fixed
   * order, so the estimate is the same bits whatever the order of the rows and of the merges.
   */
  public static Estimate estimate(ClassScoreSummary summary, List<ScoreCalibration> calibrations) {
    int k = calibrations.size();
    if (summary.classes() != k) {
      throw new IllegalArgumentException("class probabilities of " + summary.classes() + " classes, " + k
          + " calibrations");
    }
    ClassScoreSummary.Rows rows = summary.rows();
    int m = rows.counts().length;
    if (m == 0) {
      return null;
    }
    long n = 0;
    double[][] q = new double[m][];
    double[][] expected = new double[k][k];
    double[] predictedCount = new double[k];
    double correct = 0;
    double accuracyVariance = 0;
    for (int i = 0; i < m; i++) {
      long count = rows.counts()[i];
      n += count;
      q[i] = calibrated(rows.probabilities()[i], calibrations);
      int p = rows.predicted()[i];
      predictedCount[p] += count;
      for (int c = 0; c < k; c++) {
        expected[c][p] += count * q[i][c];
      }
      correct += count * q[i][p];
      accuracyVariance += count * (q[i][p] * (1 - q[i][p]));
    }
    double[] tp = new double[k];
    double[] fn = new double[k];
    double[] dA = new double[k]; // ∂F1_c/∂TP_c
    double[] dB = new double[k]; // ∂F1_c/∂FN_c
    double macro = 0;
    for (int c = 0; c < k; c++) {
      tp[c] = expected[c][c];
      for (int p = 0; p < k; p++) {
        fn[c] += p == c ? 0 : expected[c][p];
      }
      double denominator = predictedCount[c] + tp[c] + fn[c];
      if (denominator > 0) {
        macro += 2 * tp[c] / denominator / k;
        dA[c] = 2 * (predictedCount[c] + fn[c]) / (denominator * denominator);
        dB[c] = -2 * tp[c] / (denominator * denominator);
      }
    }
    double f1Variance = 0;
    for (int i = 0; i < m; i++) {
      // The change of macro F1 that the label of a prediction of row i makes: it adds to TP_a if predicted a, else to FN_a.
      double mean = 0;
      double square = 0;
      for (int a = 0; a < k; a++) {
        double g = (a == rows.predicted()[i] ? dA[a] : dB[a]) / k;
        mean += q[i][a] * g;
        square += q[i][a] * g * g;
      }
      f1Variance += rows.counts()[i] * (square - mean * mean);
    }
    return new Estimate(n, summary.isExact(),
        EstimatedMetric.of(correct / n, accuracyVariance / ((double) n * n), PerformanceEstimator.Z_95),
        EstimatedMetric.of(macro, f1Variance, PerformanceEstimator.Z_95), expected);
  }
}
