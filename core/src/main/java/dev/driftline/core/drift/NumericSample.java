package dev.driftline.core.drift;

import org.apache.datasketches.kll.KllDoublesSketch;

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
}
