package dev.driftline.core.drift.methods;

import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.spec.DriftTestSpec;

/** The reference-quantile bins binned tests share on numeric features. */
final class BinnedNumeric {
  private BinnedNumeric() {}

  static NumericSummary.Bins bins(String feature, NumericSummary reference, DriftTestSpec spec) {
    NumericSummary.Bins bins = reference.binsFor(spec.bins());
    if (bins == null) {
      throw new IllegalArgumentException("the reference of " + feature + " has no " + spec.bins()
          + "-bin edges; rebuild it with the current spec");
    }
    return bins;
  }

  /** {@code binned} when the window's values are exact, {@code histogram} when coarsened. */
  static String method(NumericSample current) {
    return current.isExact() ? "binned" : "histogram";
  }

  static double[] toDoubles(long[] counts) {
    double[] out = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = counts[i];
    }
    return out;
  }
}
