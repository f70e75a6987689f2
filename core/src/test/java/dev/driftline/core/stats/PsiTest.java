package dev.driftline.core.stats;

import static dev.driftline.core.Fixtures.counts;
import static dev.driftline.core.Fixtures.doubles;
import static dev.driftline.core.Fixtures.longs;
import static dev.driftline.core.Fixtures.strings;
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

class PsiTest {

  static Stream<Arguments> fixtures() {
    return Fixtures.cases("psi.json");
  }

  /**
   * Reference (make_stats_fixtures.py, psi_numeric / psi_categorical):
   * edges = np.unique(np.quantile(ref, np.arange(1, bins) / bins));
   * counts = np.bincount(np.searchsorted(edges, x, side='right'), minlength=len(edges) + 1);
   * r, c = np.clip(counts / counts.sum(), 1e-4, None); psi = np.sum((c - r) * np.log(c / r)).
   */
  @ParameterizedTest
  @MethodSource("fixtures")
  void matchesNumpyReference(JsonNode c) {
    PsiResult psi;
    if (c.get("kind").asText().equals("numeric")) {
      double[] reference = doubles(c.get("reference"));
      double[] current = doubles(c.get("current"));
      int bins = c.get("bins").asInt();
      psi = bins == Psi.DEFAULT_BINS ? Psi.numeric(reference, current) : Psi.numeric(reference, current, bins);
      assertThat(psi.edges()).containsExactly(doubles(c.get("edges")), within(1e-12));
      assertThat(psi.categories()).isEmpty();
      PsiResult fromCounts = Psi.fromBins(
          doubles(c.get("edges")), longs(c.get("referenceCounts")), longs(c.get("currentCounts")));
      assertThat(fromCounts.statistic()).isCloseTo(c.get("statistic").asDouble(), within(1e-9));
    } else {
      psi = Psi.categorical(counts(c.get("referenceMap")), counts(c.get("currentMap")));
      assertThat(psi.edges()).isEmpty();
      assertThat(psi.categories()).containsExactlyElementsOf(strings(c.get("categories")));
    }
    assertThat(psi.statistic()).isCloseTo(c.get("statistic").asDouble(), within(1e-9));
    assertThat(psi.level()).isEqualTo(PsiLevel.valueOf(c.get("level").asText()));
    assertThat(psi.referenceProportions())
        .containsExactly(doubles(c.get("referenceProportions")), within(1e-12));
    assertThat(psi.currentProportions())
        .containsExactly(doubles(c.get("currentProportions")), within(1e-12));
  }

  @Test
  void valueEqualToAnEdgeLandsInTheBinAboveIt() {
    double[] edges = {1.0, 2.0, 3.0};
    assertThat(Psi.binOf(edges, 0.5)).isEqualTo(0);
    assertThat(Psi.binOf(edges, 1.0)).isEqualTo(1);
    assertThat(Psi.binOf(edges, 2.0)).isEqualTo(2);
    assertThat(Psi.binOf(edges, 3.0)).isEqualTo(3);
    assertThat(Psi.binOf(edges, 99.0)).isEqualTo(3);
    // np.quantile([1..9], 0.5) -> 5.0, the single edge; the four 5s in current go above it
    PsiResult psi = Psi.numeric(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new double[] {5, 5, 5, 5}, 2);
    assertThat(psi.edges()).containsExactly(5.0);
    assertThat(psi.currentProportions()).containsExactly(0.0, 1.0);
    assertThat(psi.referenceProportions()).containsExactly(4 / 9.0, 5 / 9.0);
  }

  @Test
  void duplicateEdgesFromTiesAreMerged() {
    // np.unique(np.quantile([0]*8 + [1, 2], np.arange(1, 10) / 10))
    //   -> [0.0, 0.20000000000000018, 1.0999999999999996]: nine quantiles, three distinct edges
    double[] reference = {0, 0, 0, 0, 0, 0, 0, 0, 1, 2};
    assertThat(Psi.binEdges(reference, 10))
        .containsExactly(0.0, 0.20000000000000018, 1.0999999999999996);
  }

  @Test
  void unseenCategoryCountsAsItsOwnBin() {
    PsiResult psi = Psi.categorical(Map.of("a", 50L, "b", 50L), Map.of("a", 40L, "b", 40L, "z", 20L));
    assertThat(psi.categories()).containsExactly("a", "b", "z");
    assertThat(psi.referenceProportions()).containsExactly(0.5, 0.5, 0.0);
    assertThat(psi.currentProportions()).containsExactly(0.4, 0.4, 0.2);
    // 2 * (0.4 - 0.5) * ln(0.4 / 0.5) + (0.2 - 1e-4) * ln(0.2 / 1e-4)
    double expected = 2 * (-0.1) * Math.log(0.8) + (0.2 - 1e-4) * Math.log(0.2 / 1e-4);
    assertThat(psi.statistic()).isCloseTo(expected, within(1e-12));
    assertThat(psi.level()).isEqualTo(PsiLevel.MAJOR);
  }

  @Test
  void identicalSamplesAreStable() {
    double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    PsiResult psi = Psi.numeric(x, x.clone());
    assertThat(psi.statistic()).isZero();
    assertThat(psi.level()).isEqualTo(PsiLevel.STABLE);
  }

  @Test
  void levelBoundariesBelongToModerate() {
    assertThat(PsiLevel.of(0.0999999)).isEqualTo(PsiLevel.STABLE);
    assertThat(PsiLevel.of(0.1)).isEqualTo(PsiLevel.MODERATE);
    assertThat(PsiLevel.of(0.25)).isEqualTo(PsiLevel.MODERATE);
    assertThat(PsiLevel.of(Math.nextUp(0.25))).isEqualTo(PsiLevel.MAJOR);
  }

  @Test
  void rejectsNaNNamingArrayAndIndex() {
    double[] current = new double[20];
    current[17] = Double.NaN;
    assertThatThrownBy(() -> Psi.numeric(new double[] {1, 2, 3}, current))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("current[17] is NaN");
    assertThatThrownBy(() -> Psi.numeric(new double[0], current)).hasMessage("reference is empty");
  }

  @Test
  void fromBinsRejectsInconsistentCounts() {
    assertThatThrownBy(() -> Psi.fromBins(new double[] {1.0}, new long[] {1, 2, 3}, new long[] {1, 2}))
        .hasMessage("referenceCounts has 3 bins, expected 2 (edges.length + 1)");
    assertThatThrownBy(() -> Psi.fromBins(new double[] {1.0}, new long[] {1, 2}, new long[] {0, 0}))
        .hasMessage("currentCounts has a total count of 0");
    assertThatThrownBy(() -> Psi.fromBins(new double[] {2.0, 1.0}, new long[] {1, 2, 3}, new long[] {1, 2, 3}))
        .hasMessageStartingWith("edges[1] is 1.0");
  }

  @Test
  void rejectsNegativeCategoryCount() {
    assertThatThrownBy(() -> Psi.categorical(Map.of("a", 1L), Map.of("a", -2L)))
        .hasMessage("current[\"a\"] is -2, expected a count >= 0");
  }
}
