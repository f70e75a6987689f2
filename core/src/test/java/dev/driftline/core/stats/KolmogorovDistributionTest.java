package dev.driftline.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KolmogorovDistributionTest {

  private static final double TOL = 1e-9;
  private static final JsonNode FIXTURES = KsFixtures.load("kstwo.json");

  static Stream<Arguments> kstwoGrid() {
    return StreamSupport.stream(FIXTURES.get("kstwo").spliterator(), false)
        .map(r -> Arguments.of(r.get("branch").asText(), r.get("n").asInt(), r.get("d").asDouble(),
            r.get("sf").asDouble(), r.get("cdf").asDouble()));
  }

  static Stream<Arguments> smirnovGrid() {
    return StreamSupport.stream(FIXTURES.get("smirnov").spliterator(), false)
        .map(r -> Arguments.of(r.get("n").asInt(), r.get("x").asDouble(), r.get("sf").asDouble()));
  }

  /** sf = scipy.stats.kstwo.sf(d, n), cdf = scipy.stats.kstwo.cdf(d, n) (kstwo.json). */
  @ParameterizedTest(name = "[{index}] {0} n={1} d={2}")
  @MethodSource("kstwoGrid")
  void matchesScipyKstwoOnEveryBranch(String branch, int n, double d, double sf, double cdf) {
    assertThat(KolmogorovDistribution.sf(d, n)).isCloseTo(sf, within(TOL));
    assertThat(KolmogorovDistribution.cdf(d, n)).isCloseTo(cdf, within(TOL));
  }

  /** sf = scipy.special.smirnov(n, x) (kstwo.json "smirnov"). */
  @ParameterizedTest(name = "[{index}] n={0} x={1}")
  @MethodSource("smirnovGrid")
  void matchesScipySmirnov(int n, double x, double sf) {
    assertThat(KolmogorovDistribution.oneSidedSf(x, n)).isCloseTo(sf, within(TOL));
  }

  @Test
  void knownValues() {
    // scipy.stats.kstwo.sf(0.3, 20) -> 0.04306706665851623 (Pomeranz branch)
    assertThat(KolmogorovDistribution.sf(0.3, 20)).isCloseTo(0.04306706665851623, within(1e-12));
    // scipy.special.smirnov(10, 0.3) -> 0.1354635556
    assertThat(KolmogorovDistribution.oneSidedSf(0.3, 10)).isCloseTo(0.1354635556, within(1e-12));
  }

  @Test
  void clampsOutsideSupport() {
    assertThat(KolmogorovDistribution.sf(0.0, 10)).isEqualTo(1.0);
    assertThat(KolmogorovDistribution.sf(-1.0, 10)).isEqualTo(1.0);
    assertThat(KolmogorovDistribution.sf(1.0, 10)).isEqualTo(0.0);
    assertThat(KolmogorovDistribution.cdf(0.04, 10)).isEqualTo(0.0);
  }

  @Test
  void rejectsNonPositiveN() {
    assertThatThrownBy(() -> KolmogorovDistribution.sf(0.1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n must be >= 1, got 0");
  }
}
