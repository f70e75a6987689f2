package dev.driftline.core.stats;

import java.util.Map;
import org.apache.commons.math3.special.Gamma;

/**
 * Pearson chi-square test of homogeneity between a reference and a current categorical sample.
 *
 * <p>The test runs on the 2 x k contingency table over the union of both samples' categories; a
 * category seen only in the current sample is a category of its own (not an error). Categories
 * with a zero count on both sides are dropped before k is counted. The result equals
 * {@code scipy.stats.chi2_contingency(table, correction=False)}: no Yates continuity correction,
 * ever (scipy would apply one for a 2 x 2 table with its default {@code correction=True}).
 *
 * <p>Edge case: when at most one category remains the samples cannot differ, and the result is
 * statistic 0, p-value 1, 0 degrees of freedom (scipy returns the same for a single column).
 *
 * <p>Stateless and thread-safe.
 */
public final class ChiSquare {
  private ChiSquare() {}

  /** Homogeneity test between two category-count maps (counts >= 0, each with a positive total). */
  public static ChiSquareResult homogeneity(Map<String, Long> reference, Map<String, Long> current) {
    long refTotal = StatsInputs.requireCounts("reference", reference);
    long curTotal = StatsInputs.requireCounts("current", current);
    String[] union = StatsInputs.unionOfCategories(reference, current);
    double[] ref = StatsInputs.alignedCounts(union, reference);
    double[] cur = StatsInputs.alignedCounts(union, current);
    double n = (double) refTotal + curTotal;
    double statistic = 0;
    int k = 0;
    for (int j = 0; j < union.length; j++) {
      double column = ref[j] + cur[j];
      if (column == 0) {
        continue;
      }
      k++;
      double expectedRef = refTotal * column / n;
      double expectedCur = curTotal * column / n;
      statistic += square(ref[j] - expectedRef) / expectedRef;
      statistic += square(cur[j] - expectedCur) / expectedCur;
    }
    if (k <= 1) {
      return new ChiSquareResult(0.0, 1.0, 0, k);
    }
    int dof = k - 1;
    // The regularized upper incomplete gamma is chi2.sf directly; 1 - cdf would lose small p-values.
    double p = Gamma.regularizedGammaQ(dof / 2.0, statistic / 2.0);
    return new ChiSquareResult(statistic, p, dof, k);
  }

  private static double square(double x) {
    return x * x;
  }
}
