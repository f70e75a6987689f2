package dev.driftline.core.stats;

import java.util.Arrays;
import java.util.List;

/**
 * Outcome of a Population Stability Index computation.
 *
 * <p>For numeric PSI, {@code edges} holds the k distinct interior bin edges (k + 1 bins:
 * {@code (-inf, e1), [e1, e2), ..., [ek, +inf)}) and {@code categories} is empty. For categorical
 * PSI, {@code edges} is empty and {@code categories} names the bins in order. The proportions are
 * the observed, unclipped proportions per bin (each side sums to 1); the epsilon clip applies only
 * inside the statistic.
 *
 * <p>Immutable: arrays are copied on the way in and out.
 */
public record PsiResult(
    double statistic,
    double[] edges,
    double[] referenceProportions,
    double[] currentProportions,
    PsiLevel level,
    List<String> categories) {

  public PsiResult {
    edges = edges.clone();
    referenceProportions = referenceProportions.clone();
    currentProportions = currentProportions.clone();
    categories = List.copyOf(categories);
  }

  @Override
  public double[] edges() {
    return edges.clone();
  }

  @Override
  public double[] referenceProportions() {
    return referenceProportions.clone();
  }

  @Override
  public double[] currentProportions() {
    return currentProportions.clone();
  }

  /** Number of bins (numeric) or categories (categorical). */
  public int bins() {
    return referenceProportions.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PsiResult r
        && Double.compare(statistic, r.statistic) == 0
        && Arrays.equals(edges, r.edges)
        && Arrays.equals(referenceProportions, r.referenceProportions)
        && Arrays.equals(currentProportions, r.currentProportions)
        && level == r.level
        && categories.equals(r.categories);
  }

  @Override
  public int hashCode() {
    int h = Double.hashCode(statistic);
    h = 31 * h + Arrays.hashCode(edges);
    h = 31 * h + Arrays.hashCode(referenceProportions);
    h = 31 * h + Arrays.hashCode(currentProportions);
    h = 31 * h + level.hashCode();
    return 31 * h + categories.hashCode();
  }

  @Override
  public String toString() {
    return "PsiResult[statistic=" + statistic + ", level=" + level
        + ", edges=" + Arrays.toString(edges) + ", categories=" + categories
        + ", referenceProportions=" + Arrays.toString(referenceProportions)
        + ", currentProportions=" + Arrays.toString(currentProportions) + "]";
  }
}
