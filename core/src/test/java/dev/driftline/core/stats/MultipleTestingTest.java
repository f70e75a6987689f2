package dev.driftline.core.stats;

import static dev.driftline.core.Fixtures.booleans;
import static dev.driftline.core.Fixtures.doubles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.Fixtures;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MultipleTestingTest {

  static Stream<Arguments> fixtures() {
    return Fixtures.cases("multiple_testing.json");
  }

  /**
   * statsmodels multipletests semantics, written out in numpy in make_stats_fixtures.py:
   * bonferroni = np.minimum(p * m, 1); fdr_bh = reversed np.minimum.accumulate of
   * p_sorted / (i / m), clipped at 1; fdr_bh reject = step-up on p_(i) <= i / m * alpha.
   */
  @ParameterizedTest
  @MethodSource("fixtures")
  void matchesStatsmodelsSemantics(JsonNode c) {
    double[] p = doubles(c.get("p"));
    double alpha = c.get("alpha").asDouble();
    assertThat(MultipleTesting.bonferroni(p)).containsExactly(doubles(c.get("bonferroni")), within(1e-12));
    assertThat(MultipleTesting.benjaminiHochberg(p)).containsExactly(doubles(c.get("bh")), within(1e-12));
    assertThat(MultipleTestingMethod.NONE.adjust(p)).containsExactly(p);
    assertThat(MultipleTestingMethod.BONFERRONI.adjust(p)).containsExactly(doubles(c.get("bonferroni")), within(1e-12));
    assertThat(MultipleTestingMethod.BH.adjust(p)).containsExactly(doubles(c.get("bh")), within(1e-12));
    assertThat(MultipleTestingMethod.NONE.reject(p, alpha)).containsExactly(booleans(c.get("rejectNone")));
    assertThat(MultipleTestingMethod.BONFERRONI.reject(p, alpha))
        .containsExactly(booleans(c.get("rejectBonferroni")));
    assertThat(MultipleTestingMethod.BH.reject(p, alpha)).containsExactly(booleans(c.get("rejectBh")));
  }

  @Test
  void bhIsAStepUpProcedure() {
    // sorted 0.001, 0.03, 0.036, 0.9: p_(2) = 0.03 > 2/4 * 0.05 but p_(3) = 0.036 <= 3/4 * 0.05,
    // so the three smallest are rejected
    double[] p = {0.03, 0.001, 0.036, 0.9};
    assertThat(MultipleTestingMethod.BH.reject(p, 0.05)).containsExactly(true, true, true, false);
    // min over j >= i of p_(j) / (j / 4): [0.036 / 0.75, 0.001 / 0.25, 0.036 / 0.75, 0.9]
    assertThat(MultipleTesting.benjaminiHochberg(p))
        .containsExactly(new double[] {0.036 / 0.75, 0.001 / 0.25, 0.036 / 0.75, 0.9}, within(1e-15));
  }

  @Test
  void adjustedValuesKeepInputOrderAndAreClippedAtOne() {
    assertThat(MultipleTesting.bonferroni(new double[] {0.5, 0.01})).containsExactly(1.0, 0.02);
  }

  @Test
  void rejectsInvalidPValuesNamingTheIndex() {
    assertThatThrownBy(() -> MultipleTesting.benjaminiHochberg(new double[] {0.1, Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("p[1] is NaN");
    assertThatThrownBy(() -> MultipleTesting.bonferroni(new double[] {1.5}))
        .hasMessage("p[0] is 1.5, expected a value in [0, 1]");
    assertThatThrownBy(() -> MultipleTestingMethod.BH.reject(new double[] {0.1}, 0))
        .hasMessage("alpha is 0.0, expected a value in (0, 1)");
    assertThatThrownBy(() -> MultipleTestingMethod.NONE.adjust(new double[0])).hasMessage("p is empty");
  }
}
