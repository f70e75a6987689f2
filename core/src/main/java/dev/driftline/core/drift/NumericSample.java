package dev.driftline.core.drift;

import dev.driftline.core.stats.Psi;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The current values of one numeric feature: every value while there are few, a KLL sketch
 * always. Tests use the exact values when present and the sketch (with its error bound) otherwise.
 *
 * @param values every non-missing value, or null when there were more than the keep limit
 * @param sketch all non-missing values
 */
public record NumericSample(double[] values, KllDoublesSketch sketch) {
  public NumericSample {
    if (sketch == null || sketch.isEmpty()) {
      throw new IllegalArgumentException("a numeric sample needs at least one value");
    }
  }

  public static NumericSample of(double[] values) {
    KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance();
    for (double v : values) {
      sketch.update(v);
    }
    return new NumericSample(values, sketch);
  }

  public long n() {
    return sketch.getN();
  }

  public boolean isExact() {
    return values != null;
  }

  /**
   * Count per bin of interior {@code edges} ({@code edges.length + 1} bins; a value equal to an
   * edge belongs above it): exact from the values, else from the sketch's CDF, within its rank error.
   */
  public long[] binCounts(double[] edges) {
    if (isExact()) {
      return Psi.binCounts(edges, values);
    }
    // EXCLUSIVE: the fraction strictly below each edge; the last entry is the whole (1.0).
    double[] below = sketch.getCDF(edges, QuantileSearchCriteria.EXCLUSIVE);
    long[] counts = new long[edges.length + 1];
    long previous = 0;
    for (int i = 0; i < counts.length; i++) {
      long cumulative = i == edges.length ? n() : Math.round(below[i] * n());
      counts[i] = cumulative - previous;
      previous = cumulative;
    }
    return counts;
  }
}
