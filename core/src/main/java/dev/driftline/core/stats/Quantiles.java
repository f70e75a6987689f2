package dev.driftline.core.stats;

/**
 * Sample quantiles by Hyndman &amp; Fan definition 7 (linear interpolation between order
 * statistics), the default of {@code numpy.quantile} and R's {@code quantile}.
 *
 * <p>For sorted values {@code x[0..n-1]} and {@code q} in [0, 1], let {@code h = (n - 1) q},
 * {@code j = floor(h)}, {@code g = h - j}; the quantile is {@code x[j] + g (x[j+1] - x[j])}, and
 * {@code x[n-1]} when {@code h >= n - 1}. The interpolation is evaluated exactly as numpy 2.x's
 * {@code _lerp} does (from the upper neighbour when {@code g >= 0.5}), so results agree with numpy
 * bit for bit in practice and always within 1e-12.
 *
 * <p>Stateless and thread-safe. Inputs must be sorted ascending and finite; this is checked.
 */
public final class Quantiles {
  private Quantiles() {}

  /** The type-7 quantile {@code q} (in [0, 1]) of ascending, finite {@code sortedValues}. */
  public static double type7(double[] sortedValues, double q) {
    requireSorted(sortedValues);
    requireLevel("q", q);
    return unchecked(sortedValues, q);
  }

  /** The type-7 quantiles {@code qs} (each in [0, 1]) of ascending, finite {@code sorted}. */
  public static double[] type7(double[] sorted, double[] qs) {
    requireSorted(sorted);
    StatsInputs.requireNonEmpty("qs", qs);
    double[] out = new double[qs.length];
    for (int i = 0; i < qs.length; i++) {
      requireLevel("qs[" + i + "]", qs[i]);
      out[i] = unchecked(sorted, qs[i]);
    }
    return out;
  }

  /** Type 7 without argument checks; {@code sorted} ascending, non-empty, finite. */
  static double unchecked(double[] sorted, double q) {
    int n = sorted.length;
    double h = (n - 1) * q;
    if (h >= n - 1) {
      return sorted[n - 1];
    }
    int j = (int) Math.floor(h);
    double g = h - j;
    double a = sorted[j];
    double b = sorted[j + 1];
    double d = b - a;
    // numpy's _lerp: interpolating from the nearer end keeps the result monotone in g.
    return g >= 0.5 ? b - d * (1 - g) : a + d * g;
  }

  private static void requireSorted(double[] sorted) {
    StatsInputs.requireFinite("sortedValues", sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] < sorted[i - 1]) {
        throw new IllegalArgumentException(
            "sortedValues[" + i + "] is " + sorted[i] + ", less than sortedValues[" + (i - 1)
                + "] = " + sorted[i - 1] + "; expected ascending order");
      }
    }
  }

  private static void requireLevel(String name, double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException(name + " is " + q + ", expected a value in [0, 1]");
    }
  }
}
