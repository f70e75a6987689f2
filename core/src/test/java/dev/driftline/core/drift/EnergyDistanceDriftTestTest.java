package dev.driftline.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.methods.EnergyDistanceDriftTest;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.stats.NumericHistogram;
import org.junit.jupiter.api.Test;

class EnergyDistanceDriftTestTest {
  static final EnergyDistanceDriftTest TEST = EnergyDistanceDriftTest.INSTANCE;

  static NumericHistogram.Buckets exact(double... values) {
    return NumericHistogram.Buckets.exactOf(values);
  }

  /**
   * scipy.stats.energy_distance([0, 1, 3], [1, 2]) = 0.7071067811865476: F − G is 1/3 on [0, 1),
   * 1/6 on [1, 2), −1/3 on [2, 3), so ∫ (F − G)² = 1/9 + 1/36 + 1/9 = 1/4 and sqrt(2 / 4) = sqrt(1/2).
   * Also 2 E|X − Y| − E|X − X'| − E|Y − Y'| = 7/3 − 4/3 − 1/2 = 1/2.
   */
  @Test
  void equalsScipysEnergyDistanceOnSmallSamples() {
    assertThat(TEST.distance(exact(0, 1, 3), exact(1, 2))).isCloseTo(Math.sqrt(0.5), within(1e-15))
        .isCloseTo(0.7071067811865476, within(1e-15));
    // scipy.stats.energy_distance([1, 1, 2, 5], [2, 3, 3]) = 1.0474837574980447: F − G is 1/2 on [1, 2), 5/12 on
    // [2, 3), −1/4 on [3, 5); ∫ (F − G)² = 1/4 + 25/144 + 2/16 = 79/144; sqrt(2 · 79/144) = sqrt(79/72).
    assertThat(TEST.distance(exact(1, 1, 2, 5), exact(2, 3, 3))).isCloseTo(Math.sqrt(79.0 / 72), within(1e-15))
        .isCloseTo(1.0474837574980447, within(1e-15));
    // Symmetric, 0 on equal samples.
    assertThat(TEST.distance(exact(2, 3, 3), exact(1, 1, 2, 5))).isCloseTo(Math.sqrt(79.0 / 72), within(1e-15));
    assertThat(TEST.distance(exact(4, 5, 5), exact(5, 4, 5))).isZero();
  }

  /** A window against a reference profile: the statistic is the distance over the reference std, which details keep. */
  @Test
  void readsTheDistanceDividedByTheReferenceStandardDeviation() {
    NumericSummary reference = BaselineBuilder.summarize(new double[] {1, 1, 2, 5}, new int[] {10});
    FeatureDrift r = TEST.numeric("x", reference, 4, NumericSample.of(new double[] {2, 3, 3}),
        TEST.defaults().withOption("size_aware", 0));
    // Sample standard deviation of 1, 1, 2, 5: mean 9/4, squares 25/16 · 2 + 1/16 + 121/16 = 172/16, over 3: 43/12.
    assertThat(reference.std()).isCloseTo(Math.sqrt(43.0 / 12), within(1e-12));
    assertThat((Double) r.details().get("distance")).isCloseTo(Math.sqrt(79.0 / 72), within(1e-15));
    assertThat(r.statistic()).isCloseTo(Math.sqrt(79.0 / 72) / Math.sqrt(43.0 / 12), within(1e-12)); // 0.55336
    assertThat(r.method()).isEqualTo("exact");
    assertThat(r.threshold()).isEqualTo(0.075);
    assertThat(r.drift()).isTrue();
    assertThat(TEST.statsStatistic(r)).isEqualTo(r.details().get("distance"));
  }

  /** scipy.stats.chi2.sf(scipy.stats.chi2.ppf(0.99, 1), 3) / 0.01 = 8.44916596210414. */
  @Test
  void noDriftQuantileIsChiSquaresTailMeanTimesTheReferenceSpread() {
    assertThat(EnergyDistanceDriftTest.NO_DRIFT_FACTOR).isCloseTo(8.44916596210414, within(1e-8));
    // Two values, half each: ∫ F(1 − F) dx = 1 · 1/4; sqrt(2 · 8.449 · 1/4 · (1/100 + 1/100)) = sqrt(0.08449).
    NumericHistogram.Buckets two = NumericHistogram.Buckets.ofPoints(new double[] {0, 1}, new long[] {50, 50});
    assertThat(TEST.noDriftQuantile(two, 100, 100)).isCloseTo(Math.sqrt(0.0844916596210414), within(1e-9));
    // 0, 1, 3 weighted 1, 2, 1: F = 1/4 then 3/4, ∫ F(1 − F) = (1 + 2) · 3/16; windows of 50 against 5000.
    NumericHistogram.Buckets three = NumericHistogram.Buckets.ofPoints(new double[] {0, 1, 3}, new long[] {1, 2, 1});
    assertThat(TEST.noDriftQuantile(three, 50, 5000))
        .isCloseTo(Math.sqrt(2 * 8.44916596210414 * 9.0 / 16 * (1.0 / 50 + 1.0 / 5000)), within(1e-9));
    assertThat(TEST.noDriftQuantile(NumericHistogram.Buckets.ofPoints(new double[] {7}, new long[] {9}), 50, 50)).isZero();
    assertThat(TEST.noDriftQuantile(two, 0, 100)).isZero();
  }

  /**
   * Normal numbers: ∫ Φ(1 − Φ) dx = 1/sqrt(π) σ, so a window of 100 against 5,000 is read against
   * sqrt(2 · 8.449 · 0.5642 · (1/100 + 1/5000)) = 0.3119 instead of 0.075; a shift of half a
   * standard deviation (energy distance about 0.5 / π^(1/4) = 0.376) is still flagged at that size.
   */
  @Test
  void isSizeAwareSoSmallWindowsWithoutDriftPass() {
    NumericSummary reference = BaselineBuilder.summarize(AutoDriftTestTest.normal(1, 5000, 0), new int[] {10});
    FeatureDrift same = TEST.numeric("x", reference, 5000, NumericSample.of(AutoDriftTestTest.normal(2, 100, 0)), TEST.defaults());
    assertThat(same.threshold()).isCloseTo(0.3119, within(0.01));
    assertThat(same.details()).containsEntry("configured_threshold", 0.075);
    assertThat(same.drift()).isFalse();
    // 200 no-drift windows of 100 (seeds 100..299): 0.075 applied as it is flags most, the size-aware threshold none.
    int fixedFlags = 0;
    int sizeAwareFlags = 0;
    for (long seed = 100; seed < 300; seed++) {
      NumericSample window = NumericSample.of(AutoDriftTestTest.normal(seed, 100, 0));
      fixedFlags += TEST.numeric("x", reference, 5000, window, TEST.defaults().withOption("size_aware", 0)).drift() ? 1 : 0;
      sizeAwareFlags += TEST.numeric("x", reference, 5000, window, TEST.defaults()).drift() ? 1 : 0;
    }
    assertThat(fixedFlags).isEqualTo(147);
    assertThat(sizeAwareFlags).isZero();
    FeatureDrift shifted = TEST.numeric("x", reference, 5000, NumericSample.of(AutoDriftTestTest.normal(3, 100, 0.5)),
        TEST.defaults());
    assertThat(shifted.statistic()).isCloseTo(0.376, within(0.1));
    assertThat(shifted.drift()).isTrue();
  }

  /** A window summarized as a bounded histogram (coarsened buckets) reads within a small error of the exact values. */
  @Test
  void worksFromTheWindowsCoarsenedHistogram() {
    double[] window = AutoDriftTestTest.normal(4, 20_000, 0.3);
    NumericSummary reference = BaselineBuilder.summarize(AutoDriftTestTest.normal(1, 5000, 0), new int[] {10});
    NumericSample coarse = new NumericSample(NumericHistogram.of(NumericHistogram.Buckets.exactOf(window), 256).buckets());
    assertThat(coarse.buckets().shift()).isPositive();
    FeatureDrift fromHistogram = TEST.numeric("x", reference, 5000, coarse, TEST.defaults());
    FeatureDrift fromValues = TEST.numeric("x", reference, 5000, NumericSample.of(window), TEST.defaults());
    assertThat(fromHistogram.method()).isEqualTo("histogram");
    assertThat(fromValues.method()).isEqualTo("exact");
    assertThat(fromHistogram.statistic()).isCloseTo(fromValues.statistic(), within(0.01 * fromValues.statistic()));
    assertThat(fromHistogram.drift()).isTrue();
  }

  @Test
  void isRegisteredForNumbersAndConfiguredInASpec() {
    assertThat(DriftTests.get("energy_distance")).isSameAs(TEST);
    assertThat(DriftTests.idsFor(FeatureType.NUMERIC)).contains("energy_distance");
    assertThat(DriftTests.idsFor(FeatureType.CATEGORICAL)).doesNotContain("energy_distance");
    MonitorSpec spec = MonitorSpecParser.parse("m.yaml", String.join("\n", "model_id: m", "task: binary_classification",
        "features:", "  - {name: x, type: numeric}", "reference: {source: previous_window}", "window: {size: 1h}",
        "tests: {numeric: {energy_distance: {threshold: 0.05, size_aware: false}}}"));
    assertThat(spec.testsFor(FeatureType.NUMERIC)).hasSize(1);
    assertThat(spec.testsFor(FeatureType.NUMERIC).get(0).test()).isSameAs(TEST);
    assertThat(spec.testsFor(FeatureType.NUMERIC).get(0).threshold()).isEqualTo(0.05);
    assertThat(spec.testsFor(FeatureType.NUMERIC).get(0).option("size_aware", 1)).isEqualTo(0.0);
  }
}
