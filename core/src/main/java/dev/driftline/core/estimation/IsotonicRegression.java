package dev.driftline.core.estimation;

import java.util.Arrays;

/**
 * The isotonic (non-decreasing) least-squares fit of 0/1 labels on scores by pool-adjacent-violators,
 * as scikit-learn's {@code IsotonicRegression(increasing=True, out_of_bounds="clip")} fits it: rows
 * with equal scores become one point (their mean label, their count as weight); adjacent points
 * whose fitted values would decrease are pooled into one block with their weighted mean; of each
 * constant block only its first and last score are kept. Between kept points the fit is read by
 * linear interpolation, outside them it is clipped ({@link ScoreCalibration#apply}).
 *
 * <p>Deterministic: the result depends on the multiset of (score, label) rows only. Stateless.
 */
public final class IsotonicRegression {
  private IsotonicRegression() {}

  /** Breakpoints of the fit: scores ascending, fitted values non-decreasing, both of the same length. */
  public record Fit(double[] x, double[] y) {}

  /** Fits {@code labels} (each 0 or 1) on {@code scores} (finite), at least one row. */
  public static Fit fit(double[] scores, boolean[] labels) {
    if (scores.length != labels.length || scores.length == 0) {
      throw new IllegalArgumentException("expected as many labels as scores, at least one, got "
          + scores.length + " and " + labels.length);
    }
    // Sort rows by score, positives after negatives on ties (only the per-score counts matter).
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException("scores[" + i + "] is " + scores[i] + ", expected a finite number");
      }
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      int c = Double.compare(scores[a] == 0.0 ? 0.0 : scores[a], scores[b] == 0.0 ? 0.0 : scores[b]);
      return c != 0 ? c : Boolean.compare(labels[a], labels[b]);
    });
    // Unique scores with their weight (rows) and label sum.
    double[] x = new double[scores.length];
    double[] w = new double[scores.length];
    double[] sum = new double[scores.length];
    int m = 0;
    for (int idx : order) {
      double s = scores[idx] == 0.0 ? 0.0 : scores[idx];
      if (m == 0 || x[m - 1] != s) {
        x[m] = s;
        m++;
      }
      w[m - 1] += 1;
      sum[m - 1] += labels[idx] ? 1 : 0;
    }
    // Pool adjacent violators: a stack of blocks, each (weight, label sum, first point).
    double[] blockW = new double[m];
    double[] blockSum = new double[m];
    int[] blockStart = new int[m];
    int blocks = 0;
    for (int i = 0; i < m; i++) {
      blockW[blocks] = w[i];
      blockSum[blocks] = sum[i];
      blockStart[blocks] = i;
      blocks++;
      // Pool while the previous block's mean is at least this one's (labels are counts: compare exactly).
      while (blocks > 1 && blockSum[blocks - 2] * blockW[blocks - 1] >= blockSum[blocks - 1] * blockW[blocks - 2]) {
        blockW[blocks - 2] += blockW[blocks - 1];
        blockSum[blocks - 2] += blockSum[blocks - 1];
        blocks--;
      }
    }
    double[] fitted = new double[m];
    for (int b = 0; b < blocks; b++) {
      int end = b + 1 < blocks ? blockStart[b + 1] : m;
      double mean = blockSum[b] / blockW[b];
      Arrays.fill(fitted, blockStart[b], end, mean);
    }
    // Keep the first and last point of each constant run (what interpolation needs).
    double[] kx = new double[m];
    double[] ky = new double[m];
    int k = 0;
    for (int i = 0; i < m; i++) {
      boolean keep = i == 0 || i == m - 1 || fitted[i] != fitted[i - 1] || fitted[i] != fitted[i + 1];
      if (keep) {
        kx[k] = x[i];
        ky[k] = fitted[i];
        k++;
      }
    }
    return new Fit(Arrays.copyOf(kx, k), Arrays.copyOf(ky, k));
  }
}
