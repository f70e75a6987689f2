package dev.driftline.core.stats;

/**
 * How to correct p-values when many features are tested in the same window. See
 * {@link MultipleTesting} for the formulas.
 */
public enum MultipleTestingMethod {
  /** No correction: adjusted = raw; reject when {@code p <= alpha}. */
  NONE {
    @Override
    public double[] adjust(double[] p) {
      MultipleTesting.requirePValues(p);
      return p.clone();
    }

    @Override
    public boolean[] reject(double[] p, double alpha) {
      return rejectAtOrBelow(p, alpha, alpha);
    }
  },
  /** Bonferroni (family-wise error rate): reject when {@code p <= alpha / m}. */
  BONFERRONI {
    @Override
    public double[] adjust(double[] p) {
      return MultipleTesting.bonferroni(p);
    }

    @Override
    public boolean[] reject(double[] p, double alpha) {
      MultipleTesting.requirePValues(p);
      return rejectAtOrBelow(p, alpha, alpha / p.length);
    }
  },
  /** Benjamini-Hochberg step-up (false discovery rate). */
  BH {
    @Override
    public double[] adjust(double[] p) {
      return MultipleTesting.benjaminiHochberg(p);
    }

    @Override
    public boolean[] reject(double[] p, double alpha) {
      return MultipleTesting.benjaminiHochbergReject(p, alpha);
    }
  };

  /** Adjusted p-values in input order. */
  public abstract double[] adjust(double[] p);

  /**
   * Which hypotheses are rejected at level {@code alpha} in (0, 1), in input order; as statsmodels
   * {@code multipletests(p, alpha, method)[0]}.
   */
  public abstract boolean[] reject(double[] p, double alpha);

  private static boolean[] rejectAtOrBelow(double[] p, double alpha, double cutoff) {
    MultipleTesting.requirePValues(p);
    MultipleTesting.requireAlpha(alpha);
    boolean[] out = new boolean[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = p[i] <= cutoff;
    }
    return out;
  }
}
