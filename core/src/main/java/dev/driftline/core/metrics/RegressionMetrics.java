package dev.driftline.core.metrics;

/**
 * Error metrics of a regression model over one window, in the units of the target.
 *
 * @param n number of (prediction, actual) pairs
 * @param mae mean absolute error, {@code mean |prediction - actual|}
 * @param rmse root mean squared error, {@code sqrt(mean (prediction - actual)^2)}
 */
public record RegressionMetrics(long n, double mae, double rmse) {

  /**
   * Metrics of {@code predictions} against {@code actuals}: non-empty, same length, finite (a NaN
   * is rejected with its index), from exact sums (see {@link RegressionSums}). Stateless and
   * thread-safe.
   */
  public static RegressionMetrics of(double[] predictions, double[] actuals) {
    MetricInputs.requireFinite("predictions", predictions);
    MetricInputs.requireFinite("actuals", actuals);
    MetricInputs.requireSameLength("predictions", predictions.length, "actuals", actuals.length);
    RegressionSums sums = new RegressionSums();
    for (int i = 0; i < predictions.length; i++) {
      sums.add(predictions[i], actuals[i]);
    }
    return sums.metrics();
  }

  /** Metrics from the count and the sums of absolute and squared errors of {@code n > 0} pairs. */
  public static RegressionMetrics fromSums(long n, double absErrorSum, double squaredErrorSum) {
    if (n <= 0) {
      throw new IllegalArgumentException("no pairs");
    }
    return new RegressionMetrics(n, absErrorSum / n, Math.sqrt(squaredErrorSum / n));
  }
}
