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

class HellingerTest {

  static Stream<Arguments> fixtures() {
    return Fixtures.cases("hellinger.json");
  }

  /**
   * p, q = p / p.sum(), q / q.sum(); expected = np.sqrt(np.sum((np.sqrt(p) - np.sqrt(q))**2) / 2)
   * (the script checks it against np.sqrt(1 - np.sum(np.sqrt(p * q))) to 1e-7).
   */
  @ParameterizedTest
  @MethodSource("fixtures")
  void matchesNumpyReference(JsonNode c) {
    double actual = c.has("p")
        ? Hellinger.distance(doubles(c.get("p")), doubles(c.get("q")))
        : Hellinger.categorical(counts(c.get("referenceMap")), counts(c.get("currentMap")));
    assertThat(actual).isCloseTo(c.get("expected").asDouble(), within(1e-12));
  }

  @Test
  void identicalDistributionsAreExactlyZeroAndDisjointAreOne() {
    double[] p = {0.1, 0.2, 0.3, 0.4};
    assertThat(Hellinger.distance(p, new double[] {1, 2, 3, 4})).isZero();
    assertThat(Hellinger.distance(new double[] {2, 0}, new double[] {0, 5})).isEqualTo(1.0);
  }

  @Test
  void unseenCategoryContributesToTheDistance() {
    // p = [.5, .5, 0], q = [.25, .25, .5]: np.sqrt(1 - 2 * np.sqrt(.5 * .25)) -> 0.5411961001461969
    assertThat(Hellinger.categorical(Map.of("a", 1L, "b", 1L), Map.of("a", 1L, "b", 1L, "new", 2L)))
        .isCloseTo(0.5411961001461969, within(1e-12));
  }

  @Test
  void rejectsInfiniteWeightNamingTheIndex() {
    assertThatThrownBy(() -> Hellinger.distance(new double[] {1, 2}, new double[] {Double.POSITIVE_INFINITY, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("q[0] is Infinity, expected a finite value");
  }
}
