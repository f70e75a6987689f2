package dev.driftline.core.stats;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleBiFunction;

/**
 * Argument checks shared by the statistics in this package. Every failure is an
 * {@link IllegalArgumentException} whose message names the argument and, for arrays, the index,
 * e.g. {@code "current[17] is NaN"}.
 */
final class StatsInputs {
  private StatsInputs() {}

  static void requireNonEmpty(String name, double[] values) {
    if (values == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (values.length == 0) {
      throw new IllegalArgumentException(name + " is empty");
    }
  }

  /** Non-null, non-empty, and every element finite. */
  static void requireFinite(String name, double[] values) {
    requireNonEmpty(name, values);
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException(name + "[" + i + "] is NaN");
      }
      if (Double.isInfinite(v)) {
        throw new IllegalArgumentException(name + "[" + i + "] is " + v + ", expected a finite value");
      }
    }
  }

  static void requireSameLength(String nameA, double[] a, String nameB, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          nameA + " has " + a.length + " elements but " + nameB + " has " + b.length);
    }
  }

  /**
   * A vector of non-negative finite weights with a positive sum (it is normalized by the caller).
   */
  static void requireWeights(String name, double[] weights) {
    requireFinite(name, weights);
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] < 0) {
        throw new IllegalArgumentException(
            name + "[" + i + "] is " + weights[i] + ", expected a value >= 0");
      }
      sum += weights[i];
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException(name + " sums to 0, expected a positive total");
    }
  }

  /** A non-empty map of category to count, with non-null keys, counts >= 0 and a positive total. */
  static long requireCounts(String name, Map<String, Long> counts) {
    if (counts == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (counts.isEmpty()) {
      throw new IllegalArgumentException(name + " is empty");
    }
    long total = 0;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      if (e.getKey() == null) {
        throw new IllegalArgumentException(name + " has a null category");
      }
      Long c = e.getValue();
      if (c == null) {
        throw new IllegalArgumentException(name + "[\"" + e.getKey() + "\"] is null");
      }
      if (c < 0) {
        throw new IllegalArgumentException(
            name + "[\"" + e.getKey() + "\"] is " + c + ", expected a count >= 0");
      }
      total = Math.addExact(total, c);
    }
    if (total == 0) {
      throw new IllegalArgumentException(name + " has a total count of 0");
    }
    return total;
  }

  /** The union of both maps' categories in natural (String) order. */
  static String[] unionOfCategories(Map<String, Long> a, Map<String, Long> b) {
    Set<String> union = new TreeSet<>(a.keySet());
    union.addAll(b.keySet());
    return union.toArray(new String[0]);
  }

  /**
   * {@code p} and {@code q} checked as weight vectors of one length, each divided by its sum: the two
   * distributions a distance compares, as {@code {p, q}}.
   */
  static double[][] distributions(double[] p, double[] q) {
    requireWeights("p", p);
    requireWeights("q", q);
    requireSameLength("p", p, "q", q);
    double sumP = 0;
    double sumQ = 0;
    for (int i = 0; i < p.length; i++) {
      sumP += p[i];
      sumQ += q[i];
    }
    double[] pn = new double[p.length];
    double[] qn = new double[q.length];
    for (int i = 0; i < p.length; i++) {
      pn[i] = p[i] / sumP;
      qn[i] = q[i] / sumQ;
    }
    return new double[][] {pn, qn};
  }

  /** {@code distance} between two category-count maps, over the union of their categories. */
  static double overCategories(Map<String, Long> reference, Map<String, Long> current,
      ToDoubleBiFunction<double[], double[]> distance) {
    requireCounts("reference", reference);
    requireCounts("current", current);
    String[] union = unionOfCategories(reference, current);
    return distance.applyAsDouble(alignedCounts(union, reference), alignedCounts(union, current));
  }

  /** Counts of {@code categories} in {@code counts}, 0 where absent. */
  static double[] alignedCounts(String[] categories, Map<String, Long> counts) {
    double[] out = new double[categories.length];
    for (int i = 0; i < categories.length; i++) {
      out[i] = counts.getOrDefault(categories[i], 0L);
    }
    return out;
  }
}
