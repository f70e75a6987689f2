package dev.driftline.core.spec;

import dev.driftline.core.estimation.CalibrationMethod;
import java.io.Serializable;

/**
 * Performance estimation before labels (spec key {@code performance_estimation},
 * classifiers only): which calibration {@code driftline baseline build} fits on the training data's
 * labelled rows (a binary classifier's score; each class's probability, one-vs-rest, of a multiclass
 * classifier), and so whether windows get estimated performance.
 *
 * @param calibration null when estimation is off ({@code calibration: none}, or a regressor)
 * @param profile for a model whose reference is a window (previous or pinned), the profile whose
 *     calibration it uses (a model with a profile reference uses that one's); null for none
 */
public record EstimationSpec(CalibrationMethod calibration, String profile) implements Serializable {

  public static final EstimationSpec OFF = new EstimationSpec(null, null);
  public static final EstimationSpec DEFAULT = new EstimationSpec(CalibrationMethod.ISOTONIC, null);

  public boolean enabled() {
    return calibration != null;
  }
}
