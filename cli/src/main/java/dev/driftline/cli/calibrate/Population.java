package dev.driftline.cli.calibrate;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** The simulated features: how a value is drawn without drift, and with one. */
final class Population {
  private Population() {}

  /** Numeric feature shapes. */
  enum Numeric {
    /** Standard normal: continuous, every value distinct. */
    CONTINUOUS("continuous (normal)"),
    /** Poisson with mean 4: integer-valued, about 15 distinct values, heavy ties. */
    COUNTS("integer (Poisson, mean 4)"),
    /** Uniform integers 18..90: integer-valued with 73 distinct values, like an age. */
    AGES("integer (ages 18..90)");

    final String label;

    Numeric(String label) {
      this.label = label;
    }

    /** One value; drift moves the mean by {@code shiftSd} standard deviations and multiplies the spread by {@code scale}. */
    double draw(SplittableRandom r, double shiftSd, double scale) {
      return switch (this) {
        case CONTINUOUS -> scale * r.nextGaussian() + shiftSd;
        case COUNTS -> poisson(r, 4.0 * scale + 2.0 * shiftSd);
        case AGES -> 18 + r.nextInt(73) + Math.round(21.1 * shiftSd);
      };
    }

    double[] draw(SplittableRandom r, int n, double shiftSd, double scale) {
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        out[i] = draw(r, shiftSd, scale);
      }
      return out;
    }
  }

  private static double poisson(SplittableRandom r, double mean) {
    double limit = Math.exp(-mean);
    double product = r.nextDouble();
    int k = 0;
    while (product > limit) {
      product *= r.nextDouble();
      k++;
    }
    return k;
  }

  /**
   * A categorical feature of {@code k} categories with Zipf(1.1) shares (so the last ones are
   * rare); a mix change of size {@code epsilon} moves that share of the mass to a uniform mix.
   */
  record Categorical(int k) {
    /** Exponent of the Zipf shares: category i (from 1) has weight 1 / i^ZIPF_EXPONENT. */
    static final double ZIPF_EXPONENT = 1.1;

    double[] shares(double epsilon) {
      double[] w = new double[k];
      double total = 0;
      for (int i = 0; i < k; i++) {
        w[i] = 1.0 / Math.pow(i + 1, ZIPF_EXPONENT);
        total += w[i];
      }
      for (int i = 0; i < k; i++) {
        w[i] = (1 - epsilon) * w[i] / total + epsilon / k;
      }
      return w;
    }

    /** Total variation distance between the shares without drift and with a mix change of {@code epsilon}. */
    double totalVariation(double epsilon) {
      double[] a = shares(0);
      double[] b = shares(epsilon);
      double tv = 0;
      for (int i = 0; i < k; i++) {
        tv += Math.abs(a[i] - b[i]);
      }
      return tv / 2;
    }

    double rarestShare() {
      double[] s = shares(0);
      return Arrays.stream(s).min().orElseThrow();
    }

    Map<String, Long> draw(SplittableRandom r, int n, double epsilon) {
      double[] shares = shares(epsilon);
      double[] cumulative = new double[k];
      double c = 0;
      for (int i = 0; i < k; i++) {
        c += shares[i];
        cumulative[i] = c;
      }
      long[] counts = new long[k];
      for (int j = 0; j < n; j++) {
        double u = r.nextDouble() * c;
        int i = Arrays.binarySearch(cumulative, u);
        counts[i < 0 ? Math.min(k - 1, -i - 1) : i]++;
      }
      Map<String, Long> out = new LinkedHashMap<>();
      for (int i = 0; i < k; i++) {
        if (counts[i] > 0) {
          out.put(String.format(Locale.ROOT, "c%02d", i), counts[i]);
        }
      }
      return out;
    }
  }
}
