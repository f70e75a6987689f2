package dev.driftline.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.drift.methods.ChiSquareDriftTest;
import dev.driftline.core.drift.methods.HellingerDriftTest;
import dev.driftline.core.drift.methods.JensenShannonDriftTest;
import dev.driftline.core.drift.methods.PsiDriftTest;
import dev.driftline.core.drift.methods.WassersteinDriftTest;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.spec.SpecException;
import dev.driftline.core.stats.CategoryPooling;
import dev.driftline.core.stats.ChiSquare;
import dev.driftline.core.stats.NoDriftQuantile;
import dev.driftline.core.stats.NumericHistogram;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fixes the calibration tables asked for: pooled chi-square and size-aware distance thresholds (the default). */
class CalibratedThresholdsTest {

  @Test
  void rareCategoriesArePooledUntilThePoolHasFiveExpected() {
    Map<String, Long> reference = Map.of("a", 1000L, "b", 1000L, "c", 3L, "d", 2L);
    Map<String, Long> current = Map.of("a", 50L, "b", 50L, "d", 1L);
    // Expected counts in the smaller sample (101 of 2106): c 0.14, d 0.14, pool 0.29 < 5, so the
    // next rarest (a, before b by name at 1050 each) joins the pool.
    CategoryPooling.Pooled pooled = CategoryPooling.pool(reference, current, 5);
    assertThat(pooled.pooledCategories()).isEqualTo(3);
    assertThat(pooled.reference()).containsExactlyInAnyOrderEntriesOf(Map.of(CategoryPooling.POOLED, 1005L, "b", 1000L));
    assertThat(pooled.current()).containsExactlyInAnyOrderEntriesOf(Map.of(CategoryPooling.POOLED, 51L, "b", 50L));
    assertThat(CategoryPooling.pool(reference, current, 0).pooledCategories()).isZero();
    assertThat(CategoryPooling.pool(Map.of("a", 100L, "b", 100L), Map.of("a", 100L, "b", 90L), 5).pooledCategories())
        .isZero();
  }

  @Test
  void chiSquareTestsThePooledTableAndMinExpectedZeroIsScipysTable() {
    Map<String, Long> reference = new LinkedHashMap<>();
    Map<String, Long> current = new LinkedHashMap<>();
    for (int i = 0; i < 30; i++) {
      reference.put("c" + i, 2000L / (i + 1));
      current.put("c" + i, i < 3 ? 30L : (i % 7 == 0 ? 1L : 0L));
    }
    FeatureDrift pooled = ChiSquareDriftTest.INSTANCE.categorical("c", reference, current, ChiSquareDriftTest.INSTANCE.defaults());
    CategoryPooling.Pooled table = CategoryPooling.pool(reference, current, 5);
    assertThat(pooled.statistic()).isEqualTo(ChiSquare.homogeneity(table.reference(), table.current()).statistic());
    assertThat(pooled.details()).containsEntry("pooled_categories", table.pooledCategories());
    assertThat(table.pooledCategories()).isGreaterThan(20);

    FeatureDrift raw = ChiSquareDriftTest.INSTANCE.categorical("c", reference, current,
        ChiSquareDriftTest.INSTANCE.defaults().withOption("min_expected", 0));
    assertThat(raw.statistic()).isEqualTo(ChiSquare.homogeneity(reference, current).statistic());
    assertThat(raw.details()).doesNotContainKey("pooled_categories");
  }

  @Test
  void noDriftQuantilesFollowTheChiSquareApproximation() {
    // scipy: chi2.ppf(0.99, 9) = 21.665994333461924
    double s = 21.665994333461924 * (1.0 / 100 + 1.0 / 5000);
    assertThat(NoDriftQuantile.psi(10, 100, 5000)).isCloseTo(s, within(1e-9));
    assertThat(NoDriftQuantile.jensenShannon(10, 100, 5000)).isCloseTo(Math.sqrt(s / (8 * Math.log(2))), within(1e-9));
    assertThat(NoDriftQuantile.hellinger(10, 100, 5000)).isCloseTo(Math.sqrt(s / 8), within(1e-9));
    assertThat(NoDriftQuantile.psi(1, 100, 5000)).isZero();
  }

  @Test
  void sizeAwareRaisesTheThresholdOnSmallWindowsOnly() {
    double[] reference = AutoDriftTestTest.normal(1, 5000, 0);
    var profile = BaselineBuilder.summarize(reference, new int[] {10});
    DriftTestSpec psi = PsiDriftTest.INSTANCE.defaults().withOption("size_aware", 1);
    DriftTestSpec warn = new DriftTestSpec(PsiDriftTest.INSTANCE, 0.1, 10).withOption("size_aware", 1);

    FeatureDrift small = PsiDriftTest.INSTANCE.numeric("x", profile, 5000, NumericSample.of(AutoDriftTestTest.normal(2, 100, 0)), warn);
    assertThat(small.threshold()).isCloseTo(NoDriftQuantile.psi(10, 100, 5000), within(1e-12));
    assertThat(small.threshold()).isGreaterThan(0.2);
    assertThat(small.details()).containsEntry("configured_threshold", 0.1);

    FeatureDrift large = PsiDriftTest.INSTANCE.numeric("x", profile, 5000, NumericSample.of(AutoDriftTestTest.normal(3, 5000, 0)), psi);
    assertThat(large.threshold()).isEqualTo(0.25);
    FeatureDrift shifted = PsiDriftTest.INSTANCE.numeric("x", profile, 5000, NumericSample.of(AutoDriftTestTest.normal(4, 5000, 1)), psi);
    assertThat(shifted.drift()).isTrue();

    FeatureDrift js = JensenShannonDriftTest.INSTANCE.categorical("c", Map.of("a", 500L, "b", 500L), Map.of("a", 6L, "b", 4L),
        JensenShannonDriftTest.INSTANCE.defaults().withOption("size_aware", 1));
    assertThat(js.threshold()).isCloseTo(NoDriftQuantile.jensenShannon(2, 10, 1000), within(1e-12));
    assertThat(js.drift()).isFalse();
    FeatureDrift byDefault = HellingerDriftTest.INSTANCE.categorical("c", Map.of("a", 500L, "b", 500L),
        Map.of("a", 8L, "b", 2L), HellingerDriftTest.INSTANCE.defaults());
    assertThat(byDefault.threshold()).isCloseTo(NoDriftQuantile.hellinger(2, 10, 1000), within(1e-12)).isCloseTo(0.2894, within(1e-4));
    assertThat(byDefault.drift()).isFalse();
    FeatureDrift fixed = HellingerDriftTest.INSTANCE.categorical("c", Map.of("a", 500L, "b", 500L), Map.of("a", 8L, "b", 2L),
        HellingerDriftTest.INSTANCE.defaults().withOption("size_aware", 0));
    assertThat(fixed.threshold()).isEqualTo(0.1);
    assertThat(fixed.drift()).isTrue();
    assertThat(fixed.details()).isNull();
  }

  @Test
  void everyDistanceIsSizeAwareByDefault() {
    double[] reference = AutoDriftTestTest.normal(1, 5000, 0);
    var profile = BaselineBuilder.summarize(reference, new int[] {10});
    NumericSample window = NumericSample.of(AutoDriftTestTest.normal(2, 100, 0));
    for (DriftTest test : List.of(PsiDriftTest.INSTANCE, JensenShannonDriftTest.INSTANCE, HellingerDriftTest.INSTANCE,
        WassersteinDriftTest.INSTANCE)) {
      FeatureDrift sized = test.numeric("x", profile, 5000, window, test.defaults());
      FeatureDrift fixed = test.numeric("x", profile, 5000, window, test.defaults().withOption("size_aware", 0));
      assertThat(sized.statistic()).as(test.id()).isEqualTo(fixed.statistic());
      double noDrift = (Double) sized.details().get("no_drift_quantile");
      assertThat(noDrift).as(test.id()).isGreaterThan(0.15);
      assertThat(sized.threshold()).as(test.id()).isEqualTo(Math.max(test.defaultThreshold(), noDrift));
      assertThat(sized.details()).as(test.id()).containsEntry("configured_threshold", test.defaultThreshold());
      assertThat(fixed.threshold()).as(test.id()).isEqualTo(test.defaultThreshold());
    }
    // Normal numbers: J/σ = 1.61474, so 2 · 1.61474 · sqrt(1/100 + 1/5000) = 0.32616.
    FeatureDrift w = WassersteinDriftTest.INSTANCE.numeric("x", profile, 5000, window, WassersteinDriftTest.INSTANCE.defaults());
    assertThat(w.threshold()).isCloseTo(0.32616, within(0.005));
  }

  @Test
  void wassersteinNoDriftQuantileIsTwiceTheBridgeSpreadAtTheSizes() {
    // Two values, half each: J = 1 · sqrt(0.5 · 0.5) = 0.5; 2 · 0.5 · sqrt(1/100 + 1/100).
    NumericHistogram.Buckets two = NumericHistogram.Buckets.ofPoints(new double[] {0, 1}, new long[] {50, 50});
    assertThat(NoDriftQuantile.wasserstein(two, 100, 100)).isCloseTo(Math.sqrt(0.02), within(1e-12));
    // 0, 1, 3 weighted 1, 2, 1: F = 1/4 then 3/4, J = (1 + 2) · sqrt(3/16); windows of 50 against 5000.
    NumericHistogram.Buckets three = NumericHistogram.Buckets.ofPoints(new double[] {0, 1, 3}, new long[] {1, 2, 1});
    assertThat(NoDriftQuantile.wasserstein(three, 50, 5000))
        .isCloseTo(2 * 3 * Math.sqrt(3.0 / 16) * Math.sqrt(1.0 / 50 + 1.0 / 5000), within(1e-12));
    assertThat(NoDriftQuantile.wasserstein(NumericHistogram.Buckets.ofPoints(new double[] {7}, new long[] {9}), 50, 50)).isZero();
  }

  @Test
  void specReadsTheNewOptionsAndNamesBadOnes() {
    String base = String.join("\n", "model_id: m", "task: binary_classification", "features:",
        "  - {name: x, type: numeric}", "  - {name: c, type: categorical}", "reference: {source: previous_window}",
        "window: {size: 1h}");
    MonitorSpec spec = MonitorSpecParser.parse("m.yaml", base
        + "\ntests: {numeric: {psi: {size_aware: true}}, categorical: {chi2: {min_expected: 10}, jensen_shannon: {size_aware: true}}}");
    assertThat(spec.testsFor(FeatureType.NUMERIC).get(0).option("size_aware", 0)).isEqualTo(1.0);
    MonitorSpec off = MonitorSpecParser.parse("m.yaml", base + "\ntests: {numeric: {wasserstein: {size_aware: false}}}");
    assertThat(off.testsFor(FeatureType.NUMERIC).get(0).option("size_aware", 1)).isEqualTo(0.0);
    assertThat(spec.testsFor(FeatureType.CATEGORICAL).get(0).option("min_expected", 5)).isEqualTo(10.0);
    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml", base + "\ntests: {numeric: {psi: {size_aware: 3}}}"))
        .isInstanceOf(SpecException.class).hasMessageContaining("tests.numeric.psi.size_aware: expected true or false");
    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml", base + "\ntests: {numeric: {ks: {size_aware: true}}}"))
        .isInstanceOf(SpecException.class).hasMessageContaining("size_aware");
  }
}
