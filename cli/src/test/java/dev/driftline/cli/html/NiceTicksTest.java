package dev.driftline.cli.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class NiceTicksTest {

  @Test
  void smallPsiRangeGetsStepsOfFiveThousandths() {
    NiceTicks t = NiceTicks.of(0.01, 0.024, 6);
    assertThat(t.labels()).containsExactly("0.010", "0.015", "0.020", "0.025");
    assertThat(t.step()).isEqualTo(0.005);
    assertRound(t, 0.01, 0.024);
  }

  @Test
  void unitRangeGetsTenthSteps() {
    NiceTicks t = NiceTicks.of(0, 1, 6);
    assertThat(t.labels()).containsExactly("0.0", "0.2", "0.4", "0.6", "0.8", "1.0");
    assertRound(t, 0, 1);
    assertThat(NiceTicks.of(0, 1, 5).labels()).containsExactly("0.00", "0.25", "0.50", "0.75", "1.00");
  }

  @Test
  void tinyRangeKeepsJustEnoughDecimals() {
    NiceTicks t = NiceTicks.of(0.0001, 0.0003, 6);
    assertThat(t.labels()).containsExactly("0.00010", "0.00015", "0.00020", "0.00025", "0.00030");
    assertRound(t, 0.0001, 0.0003);
  }

  @Test
  void countsRangeGetsIntegerLabels() {
    NiceTicks t = NiceTicks.of(12, 987, 6);
    assertThat(t.labels()).containsExactly("0", "200", "400", "600", "800", "1000");
    assertRound(t, 12, 987);
    assertThat(NiceTicks.of(12, 987, 11).labels()).containsExactly("0", "100", "200", "300", "400", "500", "600",
        "700", "800", "900", "1000");
  }

  @Test
  void everyRangeOfManyGetsDistinctRoundLabels() {
    double[] mins = {0, 0.01, 0.0001, 12, -3.7, 1e-7, 0.5};
    double[] widths = {1e-6, 0.003, 0.014, 0.7, 3, 975, 12345.6};
    for (double min : mins) {
      for (double width : widths) {
        for (int maxTicks = 3; maxTicks <= 11; maxTicks++) {
          NiceTicks t = NiceTicks.of(min, min + width, maxTicks);
          assertThat(t.values()).as("[%s, %s] in %s", min, min + width, maxTicks).hasSizeBetween(2, maxTicks);
          assertRound(t, min, min + width);
        }
      }
    }
  }

  @Test
  void aSingleValueGetsARangeAroundIt() {
    NiceTicks t = NiceTicks.of(0.3, 0.3, 6);
    assertThat(t.min()).isLessThanOrEqualTo(0.3);
    assertThat(t.max()).isGreaterThanOrEqualTo(0.3);
    assertRound(t, 0.3, 0.3);
    assertThat(NiceTicks.of(0, 0, 6).labels()).containsExactly("-0.50", "-0.25", "0.00", "0.25", "0.50");
  }

  @Test
  void rejectsAnInvertedRange() {
    assertThatThrownBy(() -> NiceTicks.of(2, 1, 5)).hasMessage("range is [2.0, 1.0], expected finite min <= max");
  }

  /** Labels distinct, each value a whole multiple of a 1, 2, 2.5 or 5 × 10^k step, the range covered. */
  private static void assertRound(NiceTicks t, double min, double max) {
    assertThat(t.labels()).doesNotHaveDuplicates().hasSameSizeAs(t.values());
    BigDecimal step = new BigDecimal(t.labels().get(1)).subtract(new BigDecimal(t.labels().get(0)));
    BigDecimal mantissa = step.movePointLeft(step.precision() - step.scale() - 1).stripTrailingZeros();
    assertThat(List.of("1", "2", "2.5", "5")).as("step %s", step).contains(mantissa.toPlainString());
    for (int i = 0; i < t.labels().size(); i++) {
      BigDecimal label = new BigDecimal(t.labels().get(i));
      assertThat(label.remainder(step).signum()).as("%s is a multiple of %s", label, step).isZero();
      assertThat(label.doubleValue()).isCloseTo(t.values().get(i), within(1e-12 * Math.max(1, Math.abs(max))));
      if (i > 0) {
        assertThat(label.subtract(new BigDecimal(t.labels().get(i - 1)))).isEqualByComparingTo(step);
      }
    }
    // Within a billionth of a step: the range's ends come with binary rounding of their own.
    assertThat(t.min()).isLessThanOrEqualTo(min + 1e-9 * t.step());
    assertThat(t.max()).isGreaterThanOrEqualTo(max - 1e-9 * t.step());
  }
}
