package dev.driftline.core.estimation;

import java.io.Serializable;

/**
 * An estimated metric and its 95 % interval, clipped to [0, 1].
 *
 * @param value the estimate
 * @param lower lower end of the interval
 * @param upper upper end of the interval
 */
public record EstimatedMetric(double value, double lower, double upper) implements Serializable {

  /** {@code value ± z·sd}, clipped to [0, 1]. */
  static EstimatedMetric of(double value, double variance, double z) {
    double half = z * Math.sqrt(Math.max(0, variance));
    return new EstimatedMetric(value, Math.max(0, value - half), Math.min(1, value + half));
  }

  /** True when {@code realized} lies in [lower, upper]. */
  public boolean covers(double realized) {
    return realized >= lower && realized <= upper;
  }
}
