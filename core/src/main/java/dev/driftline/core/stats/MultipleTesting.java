package dev.driftline.core.stats;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Multiple-testing adjustment of p-values, with the semantics of statsmodels'
 * {@code multipletests}. Adjusted values are returned in input order, each in [0, 1].
 *
 * <ul>
 *   <li>Bonferroni: {@code min(1, p_i * m)}.
 *   <li>Benjamini-Hochberg (statsmodels {@code fdr_bh}): with p sorted ascending,
 *       {@code p_(i) / (i / m)}, then the running minimum taken from the largest p downwards,
 *       clipped at 1.
 * </ul>
 *
 * <p>p-values must be in [0, 1] (NaN rejected with its index). Stateless and thread-safe.
 */
public final class MultipleTesting {
  private MultipleTesting() {}

  /** Bonferroni-adjusted p-values, {@code min(1, p * m)}, in input order. */
  public static double[] bonferroni(double[] p) {
    requirePValues(p);
    double m = p.length;
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = Math.min(1.0, p[i] * m);
    }
    return out;
  }

  /** Benjamini-Hochberg step-up adjusted p-values (statsmodels fdr_bh), in input order. */
  public static double[] benjaminiHochberg(double[] p) {
    requirePValues(p);
    int m = p.length;
    int[] order = ascendingOrder(p);
    double[] out = new double[m];
    double running = Double.POSITIVE_INFINITY;
    for (int rank = m; rank >= 1; rank--) {
      int idx = order[rank - 1];
      // statsmodels divides by the ECDF factor i/m rather than multiplying by m/i; same rounding here.
      double raw = p[idx] / ((double) rank / m);
      running = Math.min(running, raw);
      out[idx] = Math.min(1.0, running);
    }
    return out;
  }

  /**
   * Benjamini-Hochberg step-up rejections at false discovery rate {@code alpha}: with p sorted
   * ascending, find the largest i with {@code p_(i) <= alpha * i / m} and reject the i smallest.
   */
  static boolean[] benjaminiHochbergReject(double[] p, double alpha) {
    requirePValues(p);
    requireAlpha(alpha);
    int m = p.length;
    int[] order = ascendingOrder(p);
    int largest = 0;
    for (int rank = 1; rank <= m; rank++) {
      if (p[order[rank - 1]] <= ((double) rank / m) * alpha) {
        largest = rank;
      }
    }
    boolean[] reject = new boolean[m];
    for (int rank = 1; rank <= largest; rank++) {
      reject[order[rank - 1]] = true;
    }
    return reject;
  }

  static void requirePValues(double[] p) {
    StatsInputs.requireNonEmpty("p", p);
    for (int i = 0; i < p.length; i++) {
      if (Double.isNaN(p[i])) {
        throw new IllegalArgumentException("p[" + i + "] is NaN");
      }
      if (p[i] < 0 || p[i] > 1) {
        throw new IllegalArgumentException("p[" + i + "] is " + p[i] + ", expected a value in [0, 1]");
      }
    }
  }

  static void requireAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha is " + alpha + ", expected a value in (0, 1)");
    }
  }

  private static int[] ascendingOrder(double[] p) {
    return IntStream.range(0, p.length)
        .boxed()
        .sorted(Comparator.comparingDouble(i -> p[i]))
        .mapToInt(Integer::intValue)
        .toArray();
  }
}
