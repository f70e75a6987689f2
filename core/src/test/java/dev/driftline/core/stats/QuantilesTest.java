package dev.driftline.core.stats;

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

class QuantilesTest {

  static Stream<Arguments> fixtures() {
    return Fixtures.cases("quantiles.json");
  }

  /** expected = numpy.quantile(sorted, qs)  (method='linear', Hyndman-Fan type 7). */
  @ParameterizedTest
  @MethodSource("fixtures")
  void matchesNumpyQuantile(JsonNode c) {
    double[] sorted = doubles(c.get("sorted"));
    double[] qs = doubles(c.get("qs"));
    double[] expected = doubles(c.get("expected"));
    assertThat(Quantiles.type7(sorted, qs)).containsExactly(expected, within(1e-12));
    for (int i = 0; i < qs.length; i++) {
      assertThat(Quantiles.type7(sorted, qs[i])).isCloseTo(expected[i], within(1e-12));
    }
  }

  @Test
  void interpolatesBetweenOrderStatistics() {
    // np.quantile([1, 2, 4, 8], [0, 0.25, 0.5, 1]) -> [1.0, 1.75, 3.0, 8.0]
    assertThat(Quantiles.type7(new double[] {1, 2, 4, 8}, new double[] {0, 0.25, 0.5, 1}))
        .containsExactly(1.0, 1.75, 3.0, 8.0);
  }

  @Test
  void rejectsUnsortedInputNamingTheIndex() {
    assertThatThrownBy(() -> Quantiles.type7(new double[] {1, 3, 2}, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sortedValues[2]");
  }

  @Test
  void rejectsNaNAndLevelsOutsideUnitInterval() {
    assertThatThrownBy(() -> Quantiles.type7(new double[] {1, Double.NaN}, 0.5))
        .hasMessage("sortedValues[1] is NaN");
    assertThatThrownBy(() -> Quantiles.type7(new double[] {1, 2}, 1.5))
        .hasMessage("q is 1.5, expected a value in [0, 1]");
    assertThatThrownBy(() -> Quantiles.type7(new double[] {1, 2}, new double[] {0.5, Double.NaN}))
        .hasMessage("qs[1] is NaN, expected a value in [0, 1]");
    assertThatThrownBy(() -> Quantiles.type7(new double[0], 0.5))
        .hasMessage("sortedValues is empty");
  }
}
