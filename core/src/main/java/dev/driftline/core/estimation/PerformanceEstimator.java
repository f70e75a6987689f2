package dev.driftline.core.estimation;

import dev.driftline.core.stats.NumericHistogram;

/**
 * Confidence-based performance estimation (CBPE) of a binary classifier over one window, before any
 * label is known: each prediction, with raw score {@code s} and calibrated probability
 * {@code p = calibration(s)}, counts as a fractional positive of weight {@code p} and a fractional
 * negative of weight {@code 1 − p}.
 *
 * <ul>
 *   <li>Expected confusion matrix at the threshold (predicted positive when {@code s >= threshold}):
 *       {@code TP = Σ_{pred+} p}, {@code FP = Σ_{pred+} (1 − p)}, {@code FN = Σ_{pred−} p},
 *       {@code TN = Σ_{pred−} (1 − p)}; accuracy, precision, recall and F1 from it with the
 *       zero-division rules of {@link dev.driftline.core.metrics.ClassificationMetrics}.
 *   <li>ROC AUC: the Mann–Whitney statistic of the fractional positives against the fractional
 *       negatives ranked by raw score, ties counting one half (NannyML's estimate: the trapezoid
 *       area under the ROC curve with weights p and 1 − p).
 * </ul>
 *
 * <p>Intervals (95 %): under the method's assumptions — the reference's P(y | score) still holds
 * (no concept drift) and the calibration is right — the window's labels are independent
 * Bernoulli(p) draws, so the realized counts {@code A = TP} and {@code B = FN} are Poisson-binomial
 * with variances {@code Σ_{pred+} p(1 − p)} and {@code Σ_{pred−} p(1 − p)}. Accuracy
 * ({@code (A + N_pred− − B) / n}) and precision ({@code A / N_pred+}) are linear in them; recall
 * ({@code A / (A + B)}), F1 ({@code 2A / (A + N_pred+ + B)}) and AUC are linearized by the delta
 * method (AUC per prediction: its gradient with respect to its own label). Each interval is
 * {@code estimate ± 1.96 sd}, clipped to [0, 1]: where the realized metric of all the window's
 * labels is expected to fall. It does not include the calibration's own error (from a finite
 * reference), and a metric realized on a part of the labels varies more than the interval says.
 *
 * <p>The scores come as a window's {@link NumericHistogram} buckets, so the work is O(buckets)
 * and, the histogram being a function of the window's scores alone, the estimate is too
 * (bit-identical whatever the order of the scores or the merges of partial windows). A bucket of a
 * coarsened histogram is read as its count of scores at its midpoint, split across the threshold
 * in proportion to its width on each side.
 *
 * <p>Stateless and thread-safe.
 */
public final class PerformanceEstimator {
  /** Two-sided 95 % normal quantile. */
  public static final double Z_95 = 1.959963984540054;

  private PerformanceEstimator() {}

  /** The estimate over {@code scores} (at least one), or null when there are none. */
  public static PerformanceEstimate estimate(NumericHistogram.Buckets scores, ScoreCalibration calibration,
      double threshold, String referenceId) {
    if (scores == null || scores.n() == 0) {
      return null;
    }
    int size = scores.size();
    double n = scores.n();
    double[] c = new double[size];
    double[] p = new double[size];
    double predictedPositive = 0;
    double a = 0; // expected TP
    double b = 0; // expected FN
    double varA = 0;
    double varB = 0;
    for (int i = 0; i < size; i++) {
      c[i] = scores.counts()[i];
      p[i] = calibration.apply(scores.representative(i));
      double f = positiveShare(scores, i, threshold);
      double v = p[i] * (1 - p[i]);
      predictedPositive += c[i] * f;
      a += c[i] * f * p[i];
      b += c[i] * (1 - f) * p[i];
      varA += c[i] * f * v;
      varB += c[i] * (1 - f) * v;
    }
    double predictedNegative = n - predictedPositive;
    double tn = predictedNegative - b;

    EstimatedMetric accuracy = EstimatedMetric.of((a + tn) / n, (varA + varB) / (n * n), Z_95);
    EstimatedMetric precision = predictedPositive > 0
        ? EstimatedMetric.of(a / predictedPositive, varA / (predictedPositive * predictedPositive), Z_95)
        : new EstimatedMetric(0, 0, 0);
    double positives = a + b;
    EstimatedMetric recall;
    if (positives > 0) {
      double q = positives * positives;
      recall = EstimatedMetric.of(a / positives, (b * b * varA + a * a * varB) / (q * q), Z_95);
    } else {
      recall = new EstimatedMetric(0, 0, 0);
    }
    double d = a + predictedPositive + b;
    EstimatedMetric f1;
    if (d > 0) {
      double dA = 2 * (predictedPositive + b) / (d * d);
      double dB = -2 * a / (d * d);
      f1 = EstimatedMetric.of(2 * a / d, dA * dA * varA + dB * dB * varB, Z_95);
    } else {
      f1 = new EstimatedMetric(0, 0, 0);
    }
    return new PerformanceEstimate(calibration.method(), referenceId, scores.n(), threshold, 0.95, scores.isExact(),
        positives / n, accuracy, precision, recall, f1, auc(c, p));
  }

  /**
   * AUC over buckets ascending by raw score, with the delta-method variance: with {@code N1 = Σ p},
   * {@code N0 = Σ (1 − p)}, {@code U} the weighted Mann–Whitney sum and {@code G_k} the derivative
   * of {@code U} in prediction k's label (negatives below it, minus positives above it, ties
   * halved), {@code ∂AUC/∂y_k = (G_k − AUC·(N0 − N1)) / (N1·N0)}.
   */
  private static EstimatedMetric auc(double[] c, double[] p) {
    int size = c.length;
    double n1 = 0;
    double n0 = 0;
    for (int i = 0; i < size; i++) {
      n1 += c[i] * p[i];
      n0 += c[i] * (1 - p[i]);
    }
    if (!(n1 > 0) || !(n0 > 0)) {
      return null;
    }
    double u = 0;
    double negativesBelow = 0;
    double[] below = new double[size];
    for (int i = 0; i < size; i++) {
      double neg = c[i] * (1 - p[i]);
      below[i] = negativesBelow + 0.5 * neg;
      u += c[i] * p[i] * below[i];
      negativesBelow += neg;
    }
    double auc = u / (n1 * n0);
    double variance = 0;
    double positivesAbove = 0;
    for (int i = size - 1; i >= 0; i--) {
      double pos = c[i] * p[i];
      double g = below[i] - (positivesAbove + 0.5 * pos);
      double gradient = (g - auc * (n0 - n1)) / (n1 * n0);
      variance += c[i] * p[i] * (1 - p[i]) * gradient * gradient;
      positivesAbove += pos;
    }
    return EstimatedMetric.of(auc, variance, Z_95);
  }

  /** The share of bucket {@code i}'s scores at or above {@code threshold}: 0 or 1 unless a coarse bucket straddles it. */
  static double positiveShare(NumericHistogram.Buckets scores, int i, double threshold) {
    if (scores.isExact()) {
      return scores.representative(i) >= threshold ? 1 : 0;
    }
    double lo = scores.lower(i);
    double hi = scores.upper(i);
    if (lo >= threshold) {
      return 1;
    }
    if (hi < threshold) {
      return 0;
    }
    return (hi - threshold) / (hi - lo);
  }
}
