package dev.driftline.core.metrics;

/**
 * Argument checks for the metrics in this package. Failures are {@link IllegalArgumentException}s
 * naming the argument and index, e.g. {@code "scores[17] is NaN"}.
 */
final class MetricInputs {
  private MetricInputs() {}

  static void requireNonEmpty(String name, int length, Object array) {
    if (array == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (length == 0) {
      throw new IllegalArgumentException(name + " is empty");
    }
  }

  static void requireFinite(String name, double[] values) {
    requireNonEmpty(name, values == null ? 0 : values.length, values);
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] is NaN");
      }
      if (Double.isInfinite(values[i])) {
        throw new IllegalArgumentException(
            name + "[" + i + "] is " + values[i] + ", expected a finite value");
      }
    }
  }

  static void requireSameLength(String nameA, int a, String nameB, int b) {
    if (a != b) {
      throw new IllegalArgumentException(
          nameA + " has " + a + " elements but " + nameB + " has " + b);
    }
  }
}
