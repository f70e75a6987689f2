package dev.driftline.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.drift.methods.AutoDriftTest;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.spec.SpecException;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code tests: auto}: the spec forms, and Evidently's rule with its reason in every result. */
class AutoDriftTestTest {
  static final String BASE = String.join("\n",
      "model_id: m",
      "task: binary_classification",
      "features:",
      "  - {name: x, type: numeric}",
      "  - {name: c, type: categorical, tests: {chi2: {alpha: 0.01}}}",
      "  - {name: y, type: numeric, tests: auto}",
      "reference: {source: previous_window}",
      "window: {size: 1h}");

  static double[] normal(long seed, int n, double shift) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = shift + r.nextGaussian();
    }
    return v;
  }

  @Test
  void specTakesAutoForAllTypesOrPerFeature() {
    MonitorSpec all = MonitorSpecParser.parse("m.yaml", BASE + "\ntests: auto");
    assertThat(all.testsFor(FeatureType.NUMERIC)).extracting(t -> t.test().id()).containsExactly("auto");
    assertThat(all.testsFor(FeatureType.CATEGORICAL)).extracting(t -> t.test().id()).containsExactly("auto");
    assertThat(all.testsFor(all.feature("c").orElseThrow())).extracting(t -> t.test().id()).containsExactly("chi2");
    assertThat(all.testsFor(all.feature("c").orElseThrow()).get(0).threshold()).isEqualTo(0.01);

    MonitorSpec perFeature = MonitorSpecParser.parse("m.yaml", BASE);
    assertThat(perFeature.testsFor(perFeature.feature("x").orElseThrow())).extracting(t -> t.test().id())
        .containsExactly("ks", "psi");
    assertThat(perFeature.testsFor(perFeature.feature("y").orElseThrow())).extracting(t -> t.test().id())
        .containsExactly("auto");
    assertThat(MonitorSpecParser.parse("m.yaml", BASE + "\ntests: {numeric: auto}").numericTests())
        .extracting(t -> t.test().id()).containsExactly("auto");
  }

  @Test
  void badTestsNameWhatIsExpected() {
    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml", BASE + "\ntests: {numeric: {auto: {alpha: 0.1}}}"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("tests.numeric.auto: auto takes no options");
    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml", BASE + "\ntests: {categorical: {ks: {}}}"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("expected a categorical test, one of psi|chi2|jensen_shannon|hellinger|ztest|auto");
  }

  @Test
  void numericSmallReferenceGetsKsLargeGetsWasserstein() {
    FeatureDrift small = AutoDriftTest.INSTANCE.numeric("x",
        BaselineBuilder.summarize(normal(1, 1000, 0), new int[] {10}), 1000,
        NumericSample.of(normal(2, 500, 0.3)), AutoDriftTest.INSTANCE.defaults());
    assertThat(small.test()).isEqualTo("ks");
    assertThat(small.threshold()).isEqualTo(0.05);
    assertThat(small.methodReason()).isEqualTo("numeric, reference n=1000 <= 1000: ks");
    assertThat(small.drift()).isTrue();

    FeatureDrift large = AutoDriftTest.INSTANCE.numeric("x",
        BaselineBuilder.summarize(normal(3, 72_001, 0), new int[] {10}), 72_001,
        NumericSample.of(normal(4, 500, 0.0)), AutoDriftTest.INSTANCE.defaults());
    assertThat(large.test()).isEqualTo("wasserstein");
    // Size-aware: 2 · J · sqrt(1/500 + 1/72001) over the std, J/σ = ∫ sqrt(Φ(1 − Φ)) dz = 1.61474 for normal numbers
    // (numerical integration), so 0.14493; from the reference's 72,001 values, 0.14491.
    assertThat(large.threshold()).isEqualTo(0.14491125053178683).isCloseTo(0.14493, within(1e-4));
    assertThat(large.details()).containsEntry("configured_threshold", 0.1);
    assertThat(large.methodReason()).isEqualTo("numeric, reference n=72001 > 1000: wasserstein");
    assertThat(large.drift()).isFalse();
  }

  @Test
  void categoricalSmallReferenceGetsZForTwoCategoriesChiSquareForMoreJsWhenLarge() {
    FeatureDrift z = AutoDriftTest.INSTANCE.categorical("c", Map.of("a", 300L, "b", 700L),
        Map.of("a", 330L, "b", 670L), AutoDriftTest.INSTANCE.defaults());
    assertThat(z.test()).isEqualTo("ztest");
    assertThat(z.methodReason()).isEqualTo("categorical, 2 categories, reference n=1000 <= 1000: ztest");
    // scipy: 2 * norm.sf(1.4441280189584216) (b is the reference's most frequent category)
    assertThat(z.pValue()).isCloseTo(0.14870296786457413, within(1e-12));
    assertThat(z.statistic()).isCloseTo(1.4441280189584216, within(1e-12));

    FeatureDrift chi = AutoDriftTest.INSTANCE.categorical("c", Map.of("a", 300L, "b", 600L, "c", 100L),
        Map.of("a", 330L, "b", 570L, "c", 100L), AutoDriftTest.INSTANCE.defaults());
    assertThat(chi.test()).isEqualTo("chi2");
    assertThat(chi.methodReason()).isEqualTo("categorical, 3 categories, reference n=1000 <= 1000: chi2");

    FeatureDrift js = AutoDriftTest.INSTANCE.categorical("c", Map.of("a", 3000L, "b", 7000L),
        Map.of("a", 330L, "b", 670L), AutoDriftTest.INSTANCE.defaults());
    assertThat(js.test()).isEqualTo("jensen_shannon");
    assertThat(js.threshold()).isEqualTo(0.1);
    assertThat(js.methodReason()).isEqualTo("categorical, reference n=10000 > 1000: jensen_shannon");
  }
}
