package dev.driftline.core.metrics;

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

class RegressionMetricsTest {

  static Stream<Arguments> fixtures() {
    return Fixtures.cases("regression_metrics.json");
  }

  /** e = pred - act; mae = np.mean(np.abs(e)); rmse = np.sqrt(np.mean(e**2)). */
  @ParameterizedTest
  @MethodSource("fixtures")
  void matchesNumpyReference(JsonNode c) {
    RegressionMetrics m = RegressionMetrics.of(doubles(c.get("predictions")), doubles(c.get("actuals")));
    assertThat(m.n()).isEqualTo(c.get("n").asLong());
    assertThat(m.mae()).isCloseTo(c.get("mae").asDouble(), within(1e-9));
    assertThat(m.rmse()).isCloseTo(c.get("rmse").asDouble(), within(1e-9));
  }

  @Test
  void rmseWeighsLargeErrorsMoreThanMae() {
    RegressionMetrics m = RegressionMetrics.of(new double[] {0, 0, 0, 4}, new double[] {0, 0, 0, 0});
    assertThat(m).isEqualTo(new RegressionMetrics(4, 1.0, 2.0));
  }

  @Test
  void rejectsNaNAndMismatchedLengths() {
    assertThatThrownBy(() -> RegressionMetrics.of(new double[] {1, 2}, new double[] {1, Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("actuals[1] is NaN");
    assertThatThrownBy(() -> RegressionMetrics.of(new double[] {1, 2}, new double[] {1}))
        .hasMessage("predictions has 2 elements but actuals has 1");
  }
}
