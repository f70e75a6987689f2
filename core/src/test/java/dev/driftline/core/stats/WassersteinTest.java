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

class WassersteinTest {

  static Stream<Arguments> fixtures() {
    return Fixtures.cases("wasserstein.json");
  }

  /** expected = scipy.stats.wasserstein_distance(u, v). */
  @ParameterizedTest
  @MethodSource("fixtures")
  void matchesScipyWassersteinDistance(JsonNode c) {
    assertThat(Wasserstein.distance(doubles(c.get("u")), doubles(c.get("v"))))
        .isCloseTo(c.get("expected").asDouble(), within(1e-9));
  }

  @Test
  void shiftingASampleMovesItByTheShift() {
    // wasserstein_distance([0, 1, 3], [2.5, 3.5, 5.5]) -> 2.5
    assertThat(Wasserstein.distance(new double[] {3, 0, 1}, new double[] {2.5, 5.5, 3.5}))
        .isCloseTo(2.5, within(1e-12));
  }

  @Test
  void isSymmetricAndZeroForPermutations() {
    double[] u = {1, 2, 2, 5};
    double[] v = {0, 4, 9};
    assertThat(Wasserstein.distance(u, v)).isEqualTo(Wasserstein.distance(v, u));
    assertThat(Wasserstein.distance(u, new double[] {5, 2, 1, 2})).isZero();
  }

  @Test
  void rejectsNaNNamingTheIndex() {
    assertThatThrownBy(() -> Wasserstein.distance(new double[] {1, 2}, new double[] {0, 1, Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("v[2] is NaN");
    assertThatThrownBy(() -> Wasserstein.distance(new double[0], new double[] {1}))
        .hasMessage("u is empty");
  }
}
