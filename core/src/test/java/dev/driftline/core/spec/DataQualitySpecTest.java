package dev.driftline.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.core.drift.DriftTest;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DataQualitySpecTest {
  private static final String MINIMAL = MonitorSpecParserTest.MINIMAL;

  private static MonitorSpec parse(String yaml) {
    return MonitorSpecParser.parse("m.yaml", yaml);
  }

  @Test
  void noChecksUnlessTheSpecNamesThem() {
    assertThat(parse(MINIMAL).dataQuality()).isEmpty();
    assertThat(parse(MINIMAL).feature("tenure").orElseThrow().constraints()).isNull();
    assertThat(parse(MINIMAL + "data_quality: all\n").dataQuality()).extracting(t -> t.test().id())
        .containsExactly("missing_share", "out_of_range", "unseen_categories", "wrong_type");
  }

  @Test
  void readsEachCheckWithItsSettingsInRegistryOrder() {
    MonitorSpec spec = parse(MINIMAL
        + "data_quality: {wrong_type: {threshold: 0.001}, missing_share: {alpha: 0.01}, out_of_range:}\n");
    assertThat(spec.dataQuality()).extracting(t -> t.test().id()).containsExactly("missing_share", "out_of_range",
        "wrong_type");
    assertThat(spec.dataQuality()).extracting(DriftTestSpec::threshold).containsExactly(0.01, 0.01, 0.001);
    assertThat(parse(MINIMAL + "data_quality: {wrong_type: {threshold: 0}}\n").dataQuality().get(0).threshold())
        .isZero();
  }

  @Test
  void readsConstraintsPerFeature() {
    MonitorSpec spec = parse(MINIMAL.replace("{name: tenure, type: numeric}",
            "{name: tenure, type: numeric, constraints: {min: 0, max: 120, missing_share: 0.02}}")
        .replace("{name: plan, type: categorical}", "{name: plan, type: categorical, constraints: {categories: [basic, pro, 3]}}"));
    assertThat(spec.feature("tenure").orElseThrow().constraints())
        .isEqualTo(new ConstraintsSpec(0.0, 120.0, null, null, null, 0.02));
    assertThat(spec.feature("plan").orElseThrow().constraints())
        .isEqualTo(new ConstraintsSpec(null, null, null, null, List.of("basic", "pro", "3"), null));
    assertThat(parse(MINIMAL.replace("{name: tenure, type: numeric}",
        "{name: tenure, type: numeric, constraints: {quantiles: [0.01, 0.99]}}")).feature("tenure").orElseThrow()
        .constraints()).isEqualTo(new ConstraintsSpec(null, null, 0.01, 0.99, null, null));
  }

  @Test
  void policyTriggersOnConfiguredChecksOnly() {
    MonitorSpec spec = parse(MINIMAL + "data_quality: {wrong_type: {}, missing_share: {}}\n"
        + "policy: {data_quality: [wrong_type]}\n");
    assertThat(spec.policy().dataQuality()).containsExactly("wrong_type");
    assertThat(parse(MINIMAL).policy().dataQuality()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "unknown check | `data_quality: {missing: {}}` | m.yaml: data_quality.missing: unknown key; expected one of missing_share|out_of_range|unseen_categories|wrong_type",
      "not a mapping | `data_quality: some` | m.yaml: data_quality: expected all or a mapping of check name to settings",
      "empty mapping | `data_quality: {}` | m.yaml: data_quality: expected at least one check, one of missing_share|out_of_range|unseen_categories|wrong_type",
      "alpha on a share | `data_quality: {out_of_range: {alpha: 0.1}}` | m.yaml: data_quality.out_of_range.alpha: unknown key; expected one of threshold",
      "share above one | `data_quality: {unseen_categories: {threshold: 2}}` | m.yaml: data_quality.unseen_categories.threshold: expected a number in [0, 1], got 2",
      "check under tests | `tests: {numeric: {missing_share: {}}}` | m.yaml: tests.numeric.missing_share: expected a numeric test, one of ks|psi|jensen_shannon|wasserstein|hellinger|auto",
      "policy on an unconfigured check | `data_quality: {wrong_type: {}}\\npolicy: {data_quality: [missing_share]}` | m.yaml: policy.data_quality[0]: expected a check configured under data_quality, one of wrong_type, got \"missing_share\"",
      "policy without checks | `policy: {data_quality: [wrong_type]}` | m.yaml: policy.data_quality[0]: expected a check configured under data_quality, one of (none configured), got \"wrong_type\"",
  })
  void rejectsABadDataQualitySection(String name, String added, String expected) {
    assertThatThrownBy(() -> parse(MINIMAL + added.replace("\\n", "\n") + "\n")).hasMessageStartingWith(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "categories on a number | tenure | numeric | `{categories: [a]}` | m.yaml: features[0].constraints.categories: unknown key; expected one of max|min|missing_share|quantiles",
      "range on a category | plan | categorical | `{min: 0}` | m.yaml: features[1].constraints.min: unknown key; expected one of categories|missing_share",
      "max below min | tenure | numeric | `{min: 5, max: 1}` | m.yaml: features[0].constraints.max: expected at least min 5.0, got 1.0",
      "quantiles with min | tenure | numeric | `{min: 0, quantiles: [0.01, 0.99]}` | m.yaml: features[0].constraints.quantiles: not with min or max",
      "one quantile | tenure | numeric | `{quantiles: [0.5]}` | m.yaml: features[0].constraints.quantiles: expected two quantile levels [lower, upper], got 1",
      "quantiles reversed | tenure | numeric | `{quantiles: [0.9, 0.1]}` | m.yaml: features[0].constraints.quantiles[1]: expected a level above 0.9, got 0.1",
      "quantile above one | tenure | numeric | `{quantiles: [0.1, 1.5]}` | m.yaml: features[0].constraints.quantiles[1]: expected a number in [0, 1], got 1.5",
      "share above one | plan | categorical | `{missing_share: 1.2}` | m.yaml: features[1].constraints.missing_share: expected a number in [0, 1], got 1.2",
      "no categories | plan | categorical | `{categories: []}` | m.yaml: features[1].constraints.categories: expected at least one category",
      "object category | plan | categorical | `{categories: [{a: 1}]}` | m.yaml: features[1].constraints.categories[0]: expected a category (string), got {\"a\":1}",
  })
  void rejectsBadConstraints(String name, String feature, String type, String constraints, String expected) {
    String yaml = MINIMAL.replace("{name: " + feature + ", type: " + type + "}",
        "{name: " + feature + ", type: " + type + ", constraints: " + constraints + "}");
    assertThat(yaml).isNotEqualTo(MINIMAL);
    assertThatThrownBy(() -> parse(yaml)).hasMessageStartingWith(expected);
  }

  @Test
  void qualityChecksAreNotOfferedAsDriftTests() {
    assertThat(dev.driftline.core.drift.DriftTests.comparisons()).extracting(DriftTest::id)
        .doesNotContain("missing_share", "out_of_range", "unseen_categories", "wrong_type");
  }
}
