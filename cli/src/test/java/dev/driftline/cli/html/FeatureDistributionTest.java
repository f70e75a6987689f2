package dev.driftline.cli.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FeatureDistributionTest {

  @Test
  void numericValuesOnAnEdgeCountInTheBinAbove() {
    FeatureDistribution d = FeatureDistribution.numeric("x", new double[] {1, 2.5, 29700}, new long[] {5, 5, 5, 5},
        new double[] {0, 1, 1, 2, 2.5, 3, 29699, 29700, 1e6});
    assertThat(d.current()).containsExactly(1, 3, 3, 2);
    assertThat(d.reference()).containsExactly(5, 5, 5, 5);
    assertThat(d.labels()).containsExactly("< 1", "[1, 2.5)", "[2.5, 29700)", "≥ 29700");
  }

  @Test
  void closeEdgesGetEnoughDigitsToDiffer() {
    FeatureDistribution d = FeatureDistribution.numeric("x", new double[] {0.12341, 0.12342}, new long[] {1, 1, 1},
        new double[] {0.1});
    assertThat(d.labels()).containsExactly("< 0.12341", "[0.12341, 0.12342)", "≥ 0.12342");
  }

  @Test
  void categoriesPastTwentyShareOneBar() {
    Map<String, Long> ref = new TreeMap<>();
    Map<String, Long> cur = new TreeMap<>();
    for (int i = 0; i < 25; i++) {
      ref.put(String.format("c%02d", i), 100L - i);
      cur.put(String.format("c%02d", i), 50L);
    }
    cur.put("new", 500L);
    FeatureDistribution d = FeatureDistribution.categorical("x", ref, cur);
    assertThat(d.labels()).hasSize(20).startsWith("new", "c00", "c01").endsWith("c17", "(other 7)");
    assertThat(d.reference()[0]).isZero();
    assertThat(d.current()[0]).isEqualTo(500);
    // The tail: c18..c24 in the reference (82 + 81 + ... + 76) and 7 × 50 in the current data.
    assertThat(d.reference()[19]).isEqualTo(82 + 81 + 80 + 79 + 78 + 77 + 76);
    assertThat(d.current()[19]).isEqualTo(350);
    assertThat(d.referenceTotal()).isEqualTo(ref.values().stream().mapToLong(Long::longValue).sum());
    assertThat(d.currentTotal()).isEqualTo(25 * 50 + 500);
  }
}
