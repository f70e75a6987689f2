package dev.driftline.core.estimation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model's calibration, fitted on a reference's labelled rows and stored in its profile: the map
 * from a raw score to the probability that the label is positive, which performance estimation
 * ({@link PerformanceEstimator}) applies to a window's scores. With it, the profile keeps a
 * reliability table of the raw scores (for a person to judge the calibration by).
 *
 * @param method {@code isotonic} or {@code platt}
 * @param rows labelled reference rows it was fitted on
 * @param positives of which positive
 * @param x isotonic only: breakpoint scores, strictly ascending
 * @param y isotonic only: the probabilities at {@code x}, non-decreasing, in [0, 1]; linear between
 *     breakpoints, constant beyond the first and the last
 * @param slope Platt only: {@code p = sigmoid(slope · logit(s) + intercept)}
 * @param intercept Platt only
 * @param reliability {@link #RELIABILITY_BINS} equal-width bins of the raw score (empty bins left out)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScoreCalibration(
    String method,
    long rows,
    long positives,
    double[] x,
    double[] y,
    Double slope,
    Double intercept,
    List<ReliabilityBin> reliability) implements Serializable {

  /** Bins of the reliability table. */
  public static final int RELIABILITY_BINS = 10;

  /**
   * One bin of raw scores {@code [lower, upper)} (the last includes 1): how many reference rows,
   * their mean score and the share of them labelled positive.
   */
  public record ReliabilityBin(double lower, double upper, long count, double meanScore, double positiveRate)
      implements Serializable {}

  /** Fits {@code method} on {@code scores} (probabilities in [0, 1]) and their 0/1 {@code labels}, at least one row. */
  public static ScoreCalibration fit(CalibrationMethod method, double[] scores, boolean[] labels) {
    long positives = 0;
    for (boolean l : labels) {
      positives += l ? 1 : 0;
    }
    List<ReliabilityBin> table = reliability(scores, labels);
    if (method == CalibrationMethod.PLATT) {
      PlattScaling.Fit f = PlattScaling.fit(scores, labels);
      return new ScoreCalibration(method.id(), scores.length, positives, null, null, f.slope(), f.intercept(), table);
    }
    IsotonicRegression.Fit f = IsotonicRegression.fit(scores, labels);
    return new ScoreCalibration(method.id(), scores.length, positives, f.x(), f.y(), null, null, table);
  }

  /** The calibrated probability of a raw {@code score}. */
  public double apply(double score) {
    if (x == null) {
      return PlattScaling.apply(slope, intercept, score);
    }
    if (score <= x[0]) {
      return y[0];
    }
    int last = x.length - 1;
    if (score >= x[last]) {
      return y[last];
    }
    int i = Arrays.binarySearch(x, score);
    if (i >= 0) {
      return y[i];
    }
    int hi = -i - 1;
    int lo = hi - 1;
    return y[lo] + (score - x[lo]) * (y[hi] - y[lo]) / (x[hi] - x[lo]);
  }

  /** Why this calibration cannot be used (a damaged or hand-edited profile), or null when it can. */
  public String problem() {
    CalibrationMethod m = CalibrationMethod.of(method);
    if (m == null) {
      return "method: expected isotonic or platt, got \"" + method + "\"";
    }
    if (m == CalibrationMethod.PLATT) {
      return slope == null || intercept == null || !Double.isFinite(slope) || !Double.isFinite(intercept)
          ? "platt calibration needs finite slope and intercept" : null;
    }
    if (x == null || y == null || x.length == 0 || x.length != y.length) {
      return "isotonic calibration needs x and y of the same, non-zero length";
    }
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || !(y[i] >= 0 && y[i] <= 1)) {
        return "isotonic calibration point " + i + ": expected a finite x and y in [0, 1]";
      }
      if (i > 0 && (x[i] <= x[i - 1] || y[i] < y[i - 1])) {
        return "isotonic calibration point " + i + ": x must ascend and y must not fall";
      }
    }
    return null;
  }

  static List<ReliabilityBin> reliability(double[] scores, boolean[] labels) {
    long[] count = new long[RELIABILITY_BINS];
    long[] pos = new long[RELIABILITY_BINS];
    double[] sum = new double[RELIABILITY_BINS];
    double[][] inBin = new double[RELIABILITY_BINS][];
    for (int i = 0; i < scores.length; i++) {
      int b = Math.min(RELIABILITY_BINS - 1, Math.max(0, (int) (scores[i] * RELIABILITY_BINS)));
      count[b]++;
      pos[b] += labels[i] ? 1 : 0;
    }
    for (int b = 0; b < RELIABILITY_BINS; b++) {
      inBin[b] = new double[(int) count[b]];
    }
    int[] w = new int[RELIABILITY_BINS];
    for (double s : scores) {
      int b = Math.min(RELIABILITY_BINS - 1, Math.max(0, (int) (s * RELIABILITY_BINS)));
      inBin[b][w[b]++] = s;
    }
    List<ReliabilityBin> bins = new ArrayList<>();
    for (int b = 0; b < RELIABILITY_BINS; b++) {
      if (count[b] == 0) {
        continue;
      }
      // Summed in ascending order, so the mean does not depend on the rows' order.
      Arrays.sort(inBin[b]);
      for (double s : inBin[b]) {
        sum[b] += s;
      }
      bins.add(new ReliabilityBin((double) b / RELIABILITY_BINS, (double) (b + 1) / RELIABILITY_BINS, count[b],
          sum[b] / count[b], (double) pos[b] / count[b]));
    }
    return bins;
  }
}
