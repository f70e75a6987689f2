package dev.driftline.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Data-quality results in the policy: not drift, a trigger only for the checks it names. */
class DataQualityPolicyTest {
  static MonitorSpec spec(String policy) {
    return MonitorSpecParser.parse("p.yaml", String.join("\n",
        "model_id: m", "task: binary_classification",
        "features: [{name: a, type: numeric, critical: true}, {name: b, type: numeric}]",
        "reference: {source: previous_window}", "window: {size: 1h}",
        "data_quality: {missing_share: {}, wrong_type: {}}",
        "policy: " + policy));
  }

  /** Features a and b: KS not drifted; a's wrong_type and b's missing_share failed. */
  static WindowDriftSummary window() {
    String start = PolicyEngineTest.T0.toString();
    String end = PolicyEngineTest.T0.plusSeconds(3600).toString();
    WindowDriftSummary w = new WindowDriftSummary(start, end);
    for (String f : List.of("a", "b")) {
      w.add(new DriftResult("m", DriftResult.ALL_SEGMENTS, f, "numeric", "ks", 0.1, 0.5, 0.5, 0.05, false, "exact",
          null, null, start, end, 1000, 300, "ref-1", end));
    }
    w.add(new DriftResult("m", DriftResult.ALL_SEGMENTS, "a", "numeric", "wrong_type", 0.01, null, null, 0.0, true,
        "counts", null, null, start, end, 1000, 300, "ref-1", end));
    w.add(new DriftResult("m", DriftResult.ALL_SEGMENTS, "b", "numeric", "missing_share", 0.3, 1e-9, 1e-9, 0.05, true,
        "counts", null, null, start, end, 1000, 300, "ref-1", end));
    return w;
  }

  @Test
  void failedChecksAreNeitherDriftedFeaturesNorCriticalDrift() {
    WindowDriftSummary w = window();
    assertThat(w.featuresTested()).isEqualTo(2);
    assertThat(w.driftedFeatures()).isEmpty();
    assertThat(w.results().get(2).isQuality()).isTrue();
    assertThat(w.results().get(0).isQuality()).isFalse();

    PolicyEngine.Decision d = PolicyEngine.onDriftWindow(spec("{min_samples: 50, dataset_drift: {share: 0.5}}"),
        DriftResult.ALL_SEGMENTS, new PolicyState(), w, 0);
    assertThat(d.trigger()).isNull();
    assertThat(d.alerts()).hasSize(1);
    assertThat(d.alerts().get(0).kind()).isEqualTo("data_quality");
    assertThat(d.alerts().get(0).severity()).isEqualTo("warning");
    assertThat(d.alerts().get(0).message()).contains("a wrong_type, b missing_share");
  }

  @Test
  void aCheckThePolicyNamesFiresATrigger() {
    PolicyEngine.Decision d = PolicyEngine.onDriftWindow(spec("{min_samples: 50, data_quality: [wrong_type]}"),
        DriftResult.ALL_SEGMENTS, new PolicyState(), window(), 0);
    assertThat(d.trigger()).isNotNull();
    assertThat(d.trigger().reasons()).containsExactly("data quality of a: wrong_type failed (0.0100)");
    assertThat(d.trigger().evidence()).extracting(Evidence::condition, Evidence::feature, Evidence::test)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("data_quality", "a", "wrong_type"));
    // b's missing_share is not named: a warning besides the trigger.
    assertThat(d.alerts()).extracting(Alert::kind).contains("data_quality");
  }
}
