package dev.driftline.core.spec;

import dev.driftline.core.baseline.Constraints;
import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.stats.NumericHistogram;
import dev.driftline.core.stats.Quantiles;
import java.io.Serializable;
import java.util.List;

/**
 * A feature's {@code constraints} in the monitor spec: each key set replaces the reference's
 * suggestion ({@link Constraints}). {@code quantiles} gives the range as two quantile levels of the
 * reference's values instead of numbers; it excludes {@code min} and {@code max}.
 *
 * @param lowerQuantile with {@code upperQuantile}, levels in [0, 1], lower below upper; null
 *     without {@code quantiles}
 */
public record ConstraintsSpec(Double min, Double max, Double lowerQuantile, Double upperQuantile,
    List<String> categories, Double missingShare) implements Serializable {

  public ConstraintsSpec {
    categories = categories == null ? null : List.copyOf(categories);
  }

  /**
   * The constraints to check a window against: {@code suggested} (from the reference) with this
   * spec's keys replacing its own; quantile bounds are read from {@code reference} (type 7, as
   * numpy, on exact reference values; else from its histogram). {@code reference} may be null for
   * categorical features.
   */
  public Constraints resolve(Constraints suggested, NumericSummary reference) {
    Double lo = min;
    Double hi = max;
    if (lowerQuantile != null && reference != null) {
      double[] bounds = quantiles(reference, lowerQuantile, upperQuantile);
      lo = bounds[0];
      hi = bounds[1];
    }
    return suggested.overriddenBy(new Constraints(lo, hi, categories, missingShare));
  }

  private static double[] quantiles(NumericSummary reference, double lower, double upper) {
    if (reference.values() != null) {
      return Quantiles.type7(reference.values(), new double[] {lower, upper});
    }
    NumericHistogram.Buckets buckets = reference.buckets();
    long[] cumulative = buckets.cumulativeCounts();
    return new double[] {buckets.quantile(cumulative, lower), buckets.quantile(cumulative, upper)};
  }
}
