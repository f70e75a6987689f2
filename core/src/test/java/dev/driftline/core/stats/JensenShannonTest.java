package dev.driftline.core.stats;

import static dev.driftline.core.Fixtures.counts;
import static dev.driftline.core.Fixtures.doubles;
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

class JensenShannonTest {

  static Stream<Arguments> fixtures() {
    return Fixtures.cases("js.json");
  }

  /** expected = scipy.spatial.distance.jensenshannon(p, q, base=2). */
  @ParameterizedTest
  @MethodSource("fixtures")
  void matchesScipyJensenShannon(JsonNode c) {
    double actual = c.has("p")
        ? JensenShannon.distance(doubles(c.get("p")), doubles(c.get("q")))
        : JensenShannon.categorical(counts(c.get("referenceMap")), counts(c.get("currentMap")));
    assertThat(actual).isCloseTo(c.get("expected").asDouble(), within(1e-12));
  }

  @Test
  void disjointSupportsAreAtDistanceOne() {
    assertThat(JensenShannon.distance(new double[] {1, 0}, new double[] {0, 3})).isEqualTo(1.0);
  }

  @Test
  void unseenCategoryContributesToTheDistance() {
    // jensenshannon([1, 1, 0], [1, 1, 2], base=2) over categories a, b, new
    assertThat(JensenShannon.categorical(Map.of("a", 1L, "b", 1L), Map.of("a", 1L, "b", 1L, "new", 2L)))
        .isCloseTo(0.5579230452841438, within(1e-12));
  }

  @Test
  void rejectsNaNNegativeAndMismatchedInputs() {
    assertThatThrownBy(() -> JensenShannon.distance(new double[] {0.5, Double.NaN}, new double[] {0.5, 0.5}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("p[1] is NaN");
    assertThatThrownBy(() -> JensenShannon.distance(new double[] {0.5, 0.5}, new double[] {-1, 2}))
        .hasMessage("q[0] is -1.0, expected a value >= 0");
    assertThatThrownBy(() -> JensenShannon.distance(new double[] {1}, new double[] {0.5, 0.5}))
        .hasMessage("p has 1 elements but q has 2");
    assertThatThrownBy(() -> JensenShannon.distance(new double[] {0, 0}, new double[] {0.5, 0.5}))
        .hasMessage("p sums to 0, expected a positive total");
  }
}
