package dev.driftline.core.drift;

import dev.driftline.core.stats.NumericHistogram;
import dev.driftline.core.stats.Psi;

/**
 * The current values of one numeric feature as a {@link NumericHistogram} snapshot: every value
 * exactly while there are few distinct ones, equal-relative-width buckets past that. Its content
 * depends only on the values, not on their order or on how partial windows were merged.
 *
 * @param buckets at least one value
 */
public record NumericSample(NumericHistogram.Buckets buckets) {
  public NumericSample {
    if (buckets == null || buckets.n() == 0) {
      throw new IllegalArgumentException("a numeric sample needs at least one value");
    }
  }

  /** Every value exactly (batch inputs). */
  public static NumericSample of(double[] values) {
    return new NumericSample(NumericHistogram.Buckets.exactOf(values));
  }

  public long n() {
    return buckets.n();
  }

  /** True when every value is known exactly (the histogram is at shift 0). */
  public boolean isExact() {
    return buckets.isExact();
  }

  /** Every value, ascending, when exact; null otherwise. */
  public double[] values() {
    return isExact() ? buckets.values() : null;
  }

  /**
   * Count per bin of interior {@code edges} ({@code edges.length + 1} bins; a value equal to an
   * edge belongs above it): exact when the sample is, else by each bucket's midpoint.
   */
  public long[] binCounts(double[] edges) {
    return Psi.binCounts(edges, buckets);
  }
}
