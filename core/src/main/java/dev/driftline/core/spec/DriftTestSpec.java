package dev.driftline.core.spec;

import dev.driftline.core.drift.DriftTest;
import java.io.Serializable;

/**
 * A drift test as configured for one feature type (or one feature).
 *
 * @param threshold alpha for p-value tests, the distance threshold otherwise
 * @param bins number of reference-quantile bins for binned tests on numeric features (PSI,
 *     Jensen–Shannon, Hellinger); ignored elsewhere
 */
public record DriftTestSpec(DriftTest test, double threshold, int bins) implements Serializable {
  public static final int DEFAULT_BINS = 10;

  public static DriftTestSpec withDefaults(DriftTest test) {
    return test.defaults();
  }
}
