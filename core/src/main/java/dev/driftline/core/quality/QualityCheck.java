package dev.driftline.core.quality;

import dev.driftline.core.baseline.Constraints;
import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;

/**
 * A data-quality check: a test of the {@link dev.driftline.core.drift.DriftTests} registry that
 * reads one feature of a window (its missing and wrong-type cells, its values) against the
 * reference's {@link Constraints}, rather than comparing two distributions. Its results are drift
 * results with its own {@code test} name; {@code drift: true} means the check failed.
 *
 * <p>Checks run on every feature of their types when the spec's {@code data_quality} names them,
 * never under {@code tests}. They stay out of multiple-testing control (a p-value check's adjusted
 * p-value is its p-value), out of {@code auto}, and out of the policy's dataset drift share and
 * critical-feature drift; the policy's {@code data_quality} condition reads them.
 */
public interface QualityCheck extends DriftTest {

  /**
   * The check on one feature of a window, or null when it has nothing to read (no rows, no value,
   * no bound to compare with).
   *
   * @param referenceRows the reference's rows (values plus missing cells) for this feature
   */
  FeatureDrift check(String feature, FeatureType type, FeatureQuality window, Constraints constraints,
      long referenceRows, DriftTestSpec spec);

  /** A share of a window's cells is read against a threshold in [0, 1]; 0 fails on any. */
  @Override
  default double minThreshold() {
    return isPValueTest() ? Double.MIN_VALUE : 0.0;
  }

  @Override
  default double maxThreshold() {
    return isPValueTest() ? 0.5 : 1.0;
  }
}
