package dev.driftline.core.stats;

import static dev.driftline.core.Fixtures.counts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.Fixtures;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChiSquareTest {

  static Stream<Arguments> fixtures() {
    return Fixtures.cases("chi2.json");
  }

  /**
   * scipy.stats.chi2_contingency(table, correction=False) on the 2 x k table over the union of
   * categories, zero-total columns dropped (make_stats_fixtures.py, chi2_case).
   */
  @ParameterizedTest
  @MethodSource("fixtures")
  void matchesScipyChi2Contingency(JsonNode c) {
    ChiSquareResult r = ChiSquare.homogeneity(counts(c.get("referenceMap")), counts(c.get("currentMap")));
    assertThat(r.statistic()).isCloseTo(c.get("statistic").asDouble(), within(1e-9));
    double p = c.get("pValue").asDouble();
    assertThat(r.pValue()).isCloseTo(p, within(1e-12));
    if (p > 0) {
      assertThat(r.pValue() / p).isCloseTo(1.0, within(1e-9));
    }
    assertThat(r.degreesOfFreedom()).isEqualTo(c.get("degreesOfFreedom").asInt());
    assertThat(r.categories()).isEqualTo(c.get("categories").asInt());
  }

  @Test
  void twoByTwoTableHasNoYatesCorrection() {
    // chi2_contingency([[30, 70], [45, 55]], correction=False) -> statistic 4.8, p 0.028459736916310638
    ChiSquareResult r = ChiSquare.homogeneity(Map.of("yes", 30L, "no", 70L), Map.of("yes", 45L, "no", 55L));
    assertThat(r.statistic()).isCloseTo(4.8, within(1e-12));
    assertThat(r.pValue()).isCloseTo(0.028459736916310638, within(1e-12));
    assertThat(r.degreesOfFreedom()).isEqualTo(1);
  }

  @Test
  void categoryUnseenInReferenceIsItsOwnCategory() {
    ChiSquareResult r = ChiSquare.homogeneity(Map.of("a", 500L, "b", 500L),
        Map.of("a", 400L, "b", 400L, "new", 20L));
    assertThat(r.categories()).isEqualTo(3);
    assertThat(r.degreesOfFreedom()).isEqualTo(2);
    // chi2_contingency([[500, 500, 0], [400, 400, 20]], correction=False).statistic
    assertThat(r.statistic()).isCloseTo(24.66124661246613, within(1e-9));
  }

  @Test
  void singleCategoryGivesStatisticZeroAndPValueOne() {
    ChiSquareResult r = ChiSquare.homogeneity(Map.of("only", 10L, "never", 0L), Map.of("only", 7L));
    assertThat(r).isEqualTo(new ChiSquareResult(0.0, 1.0, 0, 1));
  }

  @Test
  void rejectsEmptyAndAllZeroSamples() {
    assertThatThrownBy(() -> ChiSquare.homogeneity(Map.of(), Map.of("a", 1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reference is empty");
    assertThatThrownBy(() -> ChiSquare.homogeneity(Map.of("a", 1L), Map.of("a", 0L)))
        .hasMessage("current has a total count of 0");
  }
}
