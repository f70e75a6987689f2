package dev.driftline.core.stats;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * Multivariate drift by PCA reconstruction error (NannyML's data reconstruction drift): fitted on
 * a reference's numeric features, it maps a row to how far the row lies from the reference's
 * principal subspace, so a change in how features move together raises the error even when every
 * feature's own distribution stays the same.
 *
 * <p>Fitting: a missing value (NaN) is replaced by its feature's reference mean; each feature is
 * standardized by its reference mean and sample standard deviation (a constant feature by 1, so
 * it contributes 0); the correlation matrix is eigen-decomposed and the fewest leading components
 * whose eigenvalues reach {@code varianceShare} of the total are kept. A row's error is the
 * Euclidean distance between its standardized vector {@code z} and the projection of {@code z} on
 * the kept components, computed as {@code sqrt(|z|² - |Wᵀz|²)} in O(features × components).
 *
 * <p>Threshold: the reference rows, in their order, are cut into chunks of {@code chunkSize} (a
 * last incomplete chunk is left out); over the chunks' mean errors, {@code lower = max(0, m - 3s)}
 * and {@code upper = m + 3s}, with {@code m} their mean and {@code s} their population standard
 * deviation (as NannyML). A window whose mean error lies outside {@code [lower, upper]} drifts.
 *
 * <p>Immutable once built (the arrays are not copied: do not modify them); stored in a profile as
 * JSON under {@code pca}.
 *
 * @param version always {@link #VERSION}; a reader rejects anything else
 * @param features the numeric features, in the order rows give them
 * @param means per feature, the reference mean of the non-missing values (imputed for missing ones)
 * @param scales per feature, the sample standard deviation after imputation, or 1 if that is 0
 * @param eigenvalues all eigenvalues of the correlation matrix, descending
 * @param varianceShare the share of variance the kept components were chosen to reach, in (0, 1]
 * @param components the kept components, one unit vector of {@code features.size()} per row
 * @param chunkSize reference rows per chunk of the threshold
 * @param chunks full chunks the threshold was computed from (at least 2)
 * @param chunkMean mean over chunks of the chunk's mean error
 * @param chunkStd population standard deviation over chunks of the chunk's mean error
 * @param lower the window mean error below which a window drifts
 * @param upper the window mean error above which a window drifts
 */
public record PcaModel(
    int version,
    List<String> features,
    double[] means,
    double[] scales,
    double[] eigenvalues,
    double varianceShare,
    double[][] components,
    int chunkSize,
    int chunks,
    double chunkMean,
    double chunkStd,
    double lower,
    double upper) implements Serializable {

  public static final int VERSION = 1;
  public static final double DEFAULT_VARIANCE_SHARE = 0.65;
  public static final int DEFAULT_CHUNK_SIZE = 1_000;
  /** Standard deviations of the chunk means on either side of their mean. */
  public static final double SIGMAS = 3.0;

  /**
   * Fits a model on {@code rows} (each of {@code features.size()} values, NaN for missing).
   *
   * @throws IllegalArgumentException naming what is wrong: fewer than two features, a row of the
   *     wrong length, an infinite value, a feature with no values, a share outside (0, 1], or fewer
   *     than two full chunks
   */
  public static PcaModel fit(List<String> features, double[][] rows, double varianceShare, int chunkSize) {
    int f = features.size();
    if (f < 2) {
      throw new IllegalArgumentException("pca: expected at least 2 numeric features, got " + f);
    }
    if (!(varianceShare > 0 && varianceShare <= 1)) {
      throw new IllegalArgumentException("pca: variance_share: expected a share in (0, 1], got " + varianceShare);
    }
    if (chunkSize < 2 || rows.length / chunkSize < 2) {
      throw new IllegalArgumentException("pca: chunk_size: expected at least 2 full chunks of at least 2 rows, got "
          + rows.length + " rows in chunks of " + chunkSize);
    }
    double[] means = new double[f];
    long[] present = new long[f];
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != f) {
        throw new IllegalArgumentException("pca: row " + r + ": expected " + f + " values, got " + rows[r].length);
      }
      for (int j = 0; j < f; j++) {
        double v = rows[r][j];
        if (Double.isInfinite(v)) {
          throw new IllegalArgumentException("pca: row " + r + ": " + features.get(j) + ": expected a finite number, got " + v);
        }
        if (!Double.isNaN(v)) {
          means[j] += v;
          present[j]++;
        }
      }
    }
    for (int j = 0; j < f; j++) {
      if (present[j] == 0) {
        throw new IllegalArgumentException("pca: " + features.get(j) + ": expected at least one value, got none");
      }
      means[j] /= present[j];
    }
    double[][] z = new double[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      z[r] = new double[f];
      for (int j = 0; j < f; j++) {
        z[r][j] = Double.isNaN(rows[r][j]) ? 0 : rows[r][j] - means[j];
      }
    }
    double[] scales = new double[f];
    for (int j = 0; j < f; j++) {
      double squares = 0;
      for (double[] row : z) {
        squares += row[j] * row[j];
      }
      double sd = Math.sqrt(squares / (rows.length - 1));
      scales[j] = sd > 0 ? sd : 1;
    }
    for (double[] row : z) {
      for (int j = 0; j < f; j++) {
        row[j] /= scales[j];
      }
    }
    double[][] correlation = new double[f][f];
    for (double[] row : z) {
      for (int i = 0; i < f; i++) {
        for (int j = i; j < f; j++) {
          correlation[i][j] += row[i] * row[j];
        }
      }
    }
    for (int i = 0; i < f; i++) {
      for (int j = i; j < f; j++) {
        correlation[i][j] /= rows.length - 1;
        correlation[j][i] = correlation[i][j];
      }
    }
    EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(correlation, false));
    Integer[] order = new Integer[f];
    for (int i = 0; i < f; i++) {
      order[i] = i;
    }
    double[] raw = eigen.getRealEigenvalues();
    Arrays.sort(order, (a, b) -> Double.compare(raw[b], raw[a]));
    double[] eigenvalues = new double[f];
    double total = 0;
    for (int i = 0; i < f; i++) {
      eigenvalues[i] = Math.max(0, raw[order[i]]);
      total += eigenvalues[i];
    }
    int k = 0;
    double reached = 0;
    while (k < f && (k == 0 || reached < varianceShare * total)) {
      reached += eigenvalues[k++];
    }
    double[][] components = new double[k][];
    for (int c = 0; c < k; c++) {
      components[c] = eigen.getEigenvector(order[c]).toArray();
      canonicalSign(components[c]);
    }
    PcaModel unthresholded = new PcaModel(VERSION, List.copyOf(features), means, scales, eigenvalues, varianceShare,
        components, chunkSize, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    return unthresholded.withThreshold(rows, chunkSize);
  }

  /** The sign that makes the largest-magnitude entry positive, so equal input gives equal output. */
  private static void canonicalSign(double[] v) {
    int largest = 0;
    for (int i = 1; i < v.length; i++) {
      if (Math.abs(v[i]) > Math.abs(v[largest])) {
        largest = i;
      }
    }
    if (v[largest] < 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = -v[i];
      }
    }
  }

  /** This model with its threshold computed from {@code rows} cut into chunks of {@code chunkSize}. */
  PcaModel withThreshold(double[][] rows, int chunkSize) {
    int chunks = rows.length / chunkSize;
    double[] chunkMeans = new double[chunks];
    for (int c = 0; c < chunks; c++) {
      double sum = 0;
      for (int r = c * chunkSize; r < (c + 1) * chunkSize; r++) {
        sum += reconstructionError(rows[r]);
      }
      chunkMeans[c] = sum / chunkSize;
    }
    double m = Arrays.stream(chunkMeans).sum() / chunks;
    double squares = 0;
    for (double x : chunkMeans) {
      squares += (x - m) * (x - m);
    }
    double s = Math.sqrt(squares / chunks);
    return new PcaModel(version, features, means, scales, eigenvalues, varianceShare, components, chunkSize, chunks,
        m, s, Math.max(0, m - SIGMAS * s), m + SIGMAS * s);
  }

  /**
   * The distance of {@code row} (values in {@link #features} order, NaN for missing) from the
   * reference's principal subspace, in standardized units; O(features × components).
   */
  public double reconstructionError(double[] row) {
    int f = means.length;
    double[] z = new double[f];
    double norm = 0;
    for (int j = 0; j < f; j++) {
      double v = row[j];
      z[j] = Double.isNaN(v) ? 0 : (v - means[j]) / scales[j];
      norm += z[j] * z[j];
    }
    double projected = 0;
    for (double[] w : components) {
      double t = 0;
      for (int j = 0; j < f; j++) {
        t += w[j] * z[j];
      }
      projected += t * t;
    }
    // Pythagoras: |z - WWᵀz|² = |z|² - |Wᵀz|² for orthonormal W; rounding can make it slightly negative.
    return Math.sqrt(Math.max(0, norm - projected));
  }

  /** Whether a window's mean reconstruction error lies outside {@code [lower, upper]}. */
  public boolean isDrift(double windowMeanError) {
    return windowMeanError < lower || windowMeanError > upper;
  }

  /** The number of kept components. */
  public int componentCount() {
    return components.length;
  }

  /**
   * Why this model (as read from a profile) cannot be used, naming the field, or null when it can.
   */
  public String problem() {
    if (version != VERSION) {
      return "version: expected " + VERSION + ", got " + version;
    }
    int f = features == null ? 0 : features.size();
    if (f < 2 || means == null || means.length != f || scales == null || scales.length != f) {
      return "features: expected at least 2 features with a mean and a scale each";
    }
    if (components == null || components.length == 0 || components.length > f) {
      return "components: expected 1 to " + f + " components";
    }
    for (int c = 0; c < components.length; c++) {
      if (components[c] == null || components[c].length != f) {
        return "components[" + c + "]: expected " + f + " numbers";
      }
    }
    for (int j = 0; j < f; j++) {
      if (!Double.isFinite(means[j]) || !(scales[j] > 0) || !Double.isFinite(scales[j])) {
        return "scales[" + j + "]: expected a finite mean and a finite scale > 0";
      }
    }
    if (!(lower >= 0) || !(upper >= lower) || !Double.isFinite(upper)) {
      return "upper: expected finite bounds with 0 <= lower <= upper, got " + lower + " and " + upper;
    }
    return null;
  }
}
