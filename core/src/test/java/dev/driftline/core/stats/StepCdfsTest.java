package dev.driftline.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StepCdfsTest {
  static final NumericHistogram.Buckets U = NumericHistogram.Buckets.ofPoints(new double[] {0, 1, 3}, new long[] {1, 1, 1});
  static final NumericHistogram.Buckets V = NumericHistogram.Buckets.ofPoints(new double[] {1, 2}, new long[] {1, 1});

  /** F_u − F_v is 1/3 on [0, 1), 1/6 on [1, 2), −1/3 on [2, 3). */
  @Test
  void integratesAFunctionOfTheDifferenceOfTwoStepCdfs() {
    assertThat(StepCdfs.between(U, V, Math::abs)).isCloseTo(1.0 / 3 + 1.0 / 6 + 1.0 / 3, within(1e-15));
    assertThat(StepCdfs.between(U, V, d -> d * d)).isCloseTo(1.0 / 9 + 1.0 / 36 + 1.0 / 9, within(1e-15));
    assertThat(StepCdfs.between(U, V, Math::abs)).isEqualTo(Wasserstein.distance(new double[] {0, 1, 3}, new double[] {1, 2}));
  }

  /** ∫ F(1 − F) dx is half the mean absolute difference of two draws: (12 / 9) / 2 for {0, 1, 3}. */
  @Test
  void integratesAFunctionOfOneStepCdf() {
    assertThat(StepCdfs.of(U, f -> f * (1 - f))).isCloseTo(2.0 / 3, within(1e-15));
    assertThat(StepCdfs.of(NumericHistogram.Buckets.ofPoints(new double[] {7}, new long[] {4}), f -> 1)).isZero();
  }

  @Test
  void refusesBucketsAtDifferentShiftsOrEmpty() {
    assertThatThrownBy(() -> StepCdfs.between(U, U.atShift(3), Math::abs))
        .hasMessage("buckets at shifts 0 and 3; bring them to one shift first");
  }
}
