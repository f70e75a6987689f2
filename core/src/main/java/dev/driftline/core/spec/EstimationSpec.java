package dev.driftline.core.spec;

import dev.driftline.core.estimation.CalibrationMethod;
import java.io.Serializable;

/**
 * Performance estimation before labels (spec key {@code performance_estimation}, binary
 * classification only): which calibration {@code driftline baseline build} fits on the training
 * data's labelled rows, and so whether windows get estimated performance.
 *
 * @param calibration null when estimation is off ({@code calibration: none}, or a regressor)
 */
public record EstimationSpec(CalibrationMethod calibration) implements Serializable {

  public static final EstimationSpec OFF = new EstimationSpec(null);
  public static final EstimationSpec DEFAULT = new EstimationSpec(CalibrationMethod.ISOTONIC);

  public boolean enabled() {
    return calibration != null;
  }
}
