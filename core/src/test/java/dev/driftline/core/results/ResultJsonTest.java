package dev.driftline.core.results;

import static org.assertj.core.api.Assertions.assertThat;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;

import dev.driftline.core.drift.DriftBins;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.io.Json;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.Evidence;
import dev.driftline.core.trigger.PolicyState;
import dev.driftline.core.trigger.RetrainTrigger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The result documents cross process boundaries as JSON: they must read back equal. */
class ResultJsonTest {
  @Test
  void driftResultsRoundTripWithSnakeCaseNames() throws Exception {
    DriftResult r = new DriftResult("m", "__all__", "income", "numeric", "ks", 0.21, 1e-6, 2e-6, 0.01, true, "exact",
        null, null, "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", 5000, 300, "ref", "2026-01-01T01:00:05Z");
    String json = new String(Json.bytes(r));
    assertThat(json).contains("\"p_value\":1.0E-6", "\"adjusted_p_value\":2.0E-6", "\"window_start\"").doesNotContain("level");
    assertThat(Json.mapper().readValue(json, DriftResult.class)).isEqualTo(r);
    assertThat(Json.mapper().readValue("[" + json + "]", DriftResult[].class)).containsExactly(r);
  }

  @Test
  void psiBinsRoundTripAndCategoriesPastTwentyAreSummed() throws Exception {
    java.util.Map<String, Long> reference = new java.util.TreeMap<>();
    java.util.Map<String, Long> current = new java.util.TreeMap<>();
    for (int c = 0; c < 23; c++) {
      reference.put("k" + c, 100L + c);
      current.put("k" + c, c == 22 ? 500L : 10L);
    }
    DriftBins categories = DriftBins.categorical(reference, current);
    // k22 has the largest shares on both sides; the rest rise with c on the reference side only.
    assertThat(categories.categories()).hasSize(20).startsWith("k22", "k21", "k20").endsWith("k3");
    assertThat(categories.otherCategories()).isEqualTo(3);
    assertThat(categories.otherReference()).isEqualTo(100 + 101 + 102);
    assertThat(categories.otherCurrent()).isEqualTo(30);
    DriftBins numeric = DriftBins.numeric(new double[] {1.5, 2.5}, new long[] {3, 4, 5}, new long[] {0, 1, 9});
    for (DriftBins bins : List.of(categories, numeric)) {
      DriftResult r = new DriftResult("m", "__all__", "x", "numeric", "psi", 0.3, null, null, 0.25, true, "binned",
          null, "major", null, "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", 12, 10, "ref", "2026-01-01T01:00:05Z",
          null, bins);
      String json = new String(Json.bytes(r));
      assertThat(Json.mapper().readValue(json, DriftResult.class)).isEqualTo(r);
    }
    assertThat(new String(Json.bytes(DriftResult.of("m", "__all__", 0, 1,
        new FeatureDrift("x", "numeric", "psi", 0.3, null, null, 0.25, true, "binned", 12, 10, "major", null).withBins(numeric),
        "ref", 2)))).contains("\"bins\":{\"edges\":[1.5,2.5],\"reference\":[3,4,5],\"current\":[0,1,9]}");
  }

  @Test
  void performanceTriggersAlertsAndPolicyStateRoundTrip() throws Exception {
    PerformanceResult p = new PerformanceResult("m", "__all__", "a", "b", 10, 5, 0.5, true, 0.8, 0.5, 0.4, 0.44, 0.77, 0.0,
        0.3, 0.1, 0.2, null, null, "c");
    assertThat(Json.mapper().readValue(Json.bytes(p), PerformanceResult.class)).isEqualTo(p);
    Evidence e = new Evidence("psi_limit", "a", "b", "x", "psi", null, 0.3, 0.25, null);
    RetrainTrigger t = new RetrainTrigger("trg-1", "m", "__all__", List.of("why"), List.of(e), "ref", "a", "b", "c", "v");
    assertThat(Json.mapper().readValue(Json.bytes(t), RetrainTrigger.class)).isEqualTo(t);
    Alert a = new Alert("alert-1", "critical", "retrain_trigger", "m", "__all__", "msg", "trg-1", "a", "b", "c", "v", List.of(e));
    assertThat(Json.mapper().readValue(Json.bytes(a), Alert.class)).isEqualTo(a);
    PolicyState s = new PolicyState();
    s.performance.put("a", p);
    s.datasetDrift.add(true);
    s.lastTrigger = 42;
    PolicyState back = Json.mapper().readValue(Json.bytes(s), PolicyState.class);
    assertThat(back.performance).containsEntry("a", p);
    assertThat(back.datasetDrift).containsExactly(true);
    assertThat(back.lastTrigger).isEqualTo(42);
  }
}
