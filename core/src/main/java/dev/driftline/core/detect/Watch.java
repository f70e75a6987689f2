package dev.driftline.core.detect;

import java.io.Serializable;

/**
 * The per-window value a detector is fed: the window's error rate (1 - accuracy for binary
 * classification, MAE for regression), or the statistic of one drift test on one feature.
 *
 * @param feature null for the error rate
 * @param test the drift test whose statistic is watched; null for the error rate
 */
public record Watch(String feature, String test) implements Serializable {
  public static final Watch ERROR_RATE = new Watch(null, null);

  public static Watch statistic(String feature, String test) {
    return new Watch(feature, test);
  }

  public boolean isErrorRate() {
    return feature == null;
  }

  /** {@code error_rate} or {@code feature|test}: what a detector state was built on. */
  public String key() {
    return isErrorRate() ? "error_rate" : feature + "|" + test;
  }

  /** For reasons: {@code error rate} or {@code ks statistic of income}. */
  public String describe() {
    return isErrorRate() ? "error rate" : test + " statistic of " + feature;
  }
}
