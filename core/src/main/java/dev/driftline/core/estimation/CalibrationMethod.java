package dev.driftline.core.estimation;

/** How a profile maps a model's raw scores to calibrated probabilities of the positive class. */
public enum CalibrationMethod {
  /** Pool-adjacent-violators fit, read as scikit-learn's {@code IsotonicRegression(out_of_bounds="clip")} predicts. */
  ISOTONIC("isotonic"),
  /** Logistic regression of the label on the score's log-odds: {@code p = sigmoid(slope·logit(s) + intercept)}. */
  PLATT("platt");

  private final String id;

  CalibrationMethod(String id) {
    this.id = id;
  }

  /** The name used in specs and profiles. */
  public String id() {
    return id;
  }

  /** The method named {@code id}, or null. */
  public static CalibrationMethod of(String id) {
    for (CalibrationMethod m : values()) {
      if (m.id.equals(id)) {
        return m;
      }
    }
    return null;
  }
}
