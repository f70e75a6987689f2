package dev.driftline.core.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PlattScalingTest {

  /**
   * Two distinct scores make the two-parameter model saturated, so the maximum-likelihood fit
   * reproduces each score's positive rate: at s = 0.5 (logit 0) 1 of 4 positive gives
   * intercept = logit(1/4) = −ln 3; at s = sigmoid(1) (logit 1) 3 of 4 give slope + intercept =
   * ln 3, so slope = 2 ln 3.
   */
  @Test
  void saturatedFitReproducesEachScoresPositiveRate() {
    double s1 = 1 / (1 + Math.exp(-1));
    PlattScaling.Fit fit = PlattScaling.fit(new double[] {0.5, 0.5, 0.5, 0.5, s1, s1, s1, s1},
        new boolean[] {true, false, false, false, true, true, true, false});
    assertThat(fit.intercept()).isCloseTo(-Math.log(3), within(1e-9));
    assertThat(fit.slope()).isCloseTo(2 * Math.log(3), within(1e-9));
    ScoreCalibration c = new ScoreCalibration("platt", 8, 4, null, null, fit.slope(), fit.intercept(), java.util.List.of());
    assertThat(c.apply(0.5)).isCloseTo(0.25, within(1e-9));
    assertThat(c.apply(s1)).isCloseTo(0.75, within(1e-9));
    assertThat(c.problem()).isNull();
  }
}
