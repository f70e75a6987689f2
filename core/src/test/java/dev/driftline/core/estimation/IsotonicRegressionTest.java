package dev.driftline.core.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IsotonicRegressionTest {

  /**
   * Labels 0 1 0 0 1 1 at scores 0.1 … 0.6, by hand as scikit-learn's IsotonicRegression fits them:
   * 1 > 0 at (0.2, 0.3) pools to 1/2, which is > 0 at 0.4 and pools to 1/3 over 0.2–0.4; the rest
   * ascends. Fitted: 0, 1/3, 1/3, 1/3, 1, 1; kept: the ends of each run (0.3 is inside one).
   * {@code IsotonicRegression(out_of_bounds="clip").fit(X, y).predict([0.05, 0.3, 0.45, 0.7])} is
   * then {@code [0, 1/3, 2/3, 1]} (0.45 halfway from 1/3 to 1).
   */
  @Test
  void poolsAdjacentViolatorsAndKeepsTheEndsOfEachBlock() {
    IsotonicRegression.Fit fit = IsotonicRegression.fit(new double[] {0.4, 0.1, 0.6, 0.3, 0.5, 0.2},
        new boolean[] {false, false, true, false, true, true});
    assertThat(fit.x()).containsExactly(0.1, 0.2, 0.4, 0.5, 0.6);
    assertThat(fit.y()).containsExactly(0.0, 1.0 / 3, 1.0 / 3, 1.0, 1.0);

    ScoreCalibration c = new ScoreCalibration("isotonic", 6, 3, fit.x(), fit.y(), null, null, java.util.List.of());
    assertThat(c.apply(0.05)).isEqualTo(0.0);
    assertThat(c.apply(0.3)).isEqualTo(1.0 / 3);
    assertThat(c.apply(0.45)).isCloseTo(2.0 / 3, within(1e-15));
    assertThat(c.apply(0.7)).isEqualTo(1.0);
  }

  /** Equal scores are one point with their mean label: 0.2 ×3 (one positive) and 0.7 ×2 (both positive). */
  @Test
  void tiedScoresBecomeOnePointWithTheirMeanLabel() {
    IsotonicRegression.Fit fit = IsotonicRegression.fit(new double[] {0.2, 0.7, 0.2, 0.2, 0.7},
        new boolean[] {true, true, false, false, true});
    assertThat(fit.x()).containsExactly(0.2, 0.7);
    assertThat(fit.y()).containsExactly(1.0 / 3, 1.0);
  }

  /** Decreasing labels pool into one block: the overall positive rate everywhere, kept at both ends. */
  @Test
  void decreasingLabelsPoolIntoTheOverallRate() {
    IsotonicRegression.Fit fit = IsotonicRegression.fit(new double[] {0.1, 0.2, 0.3, 0.4},
        new boolean[] {true, true, false, false});
    assertThat(fit.x()).containsExactly(0.1, 0.4);
    assertThat(fit.y()).containsExactly(0.5, 0.5);
  }

  @Test
  void sameRowsInAnyOrderGiveTheSameFit() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    double[] s = new double[500];
    boolean[] y = new boolean[500];
    for (int i = 0; i < s.length; i++) {
      s[i] = Math.round(r.nextDouble() * 50) / 50.0;
      y[i] = r.nextDouble() < s[i];
    }
    IsotonicRegression.Fit a = IsotonicRegression.fit(s, y);
    double[] s2 = new double[500];
    boolean[] y2 = new boolean[500];
    for (int i = 0; i < s.length; i++) {
      s2[i] = s[499 - i];
      y2[i] = y[499 - i];
    }
    IsotonicRegression.Fit b = IsotonicRegression.fit(s2, y2);
    assertThat(b.x()).containsExactly(a.x());
    assertThat(b.y()).containsExactly(a.y());
    for (int i = 1; i < a.y().length; i++) {
      assertThat(a.y()[i]).isGreaterThanOrEqualTo(a.y()[i - 1]);
    }
  }
}
