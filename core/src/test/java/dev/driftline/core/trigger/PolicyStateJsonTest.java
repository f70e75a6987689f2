package dev.driftline.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The policy's state as the trigger job keeps it (JSON through {@link Json#mapper()}): a run that
 * writes and reads it back after every window decides exactly as one that keeps it in memory.
 */
class PolicyStateJsonTest {

  static PerformanceResult accuracy(int i, double accuracy) {
    return new PerformanceResult("m", PolicyEngineTest.ALL, PolicyEngineTest.T0.plus(Duration.ofHours(i)).toString(),
        PolicyEngineTest.T0.plus(Duration.ofHours(i + 1)).toString(), 1000, 1000, 1.0, true, accuracy, null, null, null, null,
        null, null, null, null, null, null, "x");
  }

  static PolicyState roundTrip(PolicyState s) throws Exception {
    return Json.mapper().readValue(Json.bytes(s), PolicyState.class);
  }

  /** Every decision's trigger id and reasons, one line per window, with the state kept in memory or as JSON. */
  static List<String> decisions(MonitorSpec spec, double[] accuracy, boolean viaJson) throws Exception {
    PolicyState s = new PolicyState();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < accuracy.length; i++) {
      if (viaJson) {
        s = roundTrip(s);
      }
      PolicyEngine.Decision d = PolicyEngine.onPerformance(spec, PolicyEngineTest.ALL, s, accuracy(i, accuracy[i]), 0);
      out.add(i + ": " + (d.trigger() == null ? "-" : d.trigger().triggerId() + " " + d.trigger().reasons()) + " " + d.suppressedBy());
    }
    return out;
  }

  @Test
  void pageHinkleyDecidesTheSameThroughJson() throws Exception {
    MonitorSpec spec = PolicyEngineTest.spec("{page_hinkley: {delta: 0.005, lambda: 0.2, min_windows: 5}, cooldown: 1h}");
    double[] accuracy = {0.90, 0.91, 0.89, 0.90, 0.90, 0.91, 0.90, 0.75, 0.72, 0.70, 0.70};
    List<String> inMemory = decisions(spec, accuracy, false);
    assertThat(decisions(spec, accuracy, true)).containsExactlyElementsOf(inMemory);
    assertThat(inMemory).filteredOn(line -> line.contains("trg-")).singleElement().asString().startsWith("8: trg-");
  }

  @Test
  void everyDetectorDecidesTheSameThroughJson() throws Exception {
    MonitorSpec spec = PolicyEngineTest.spec("{page_hinkley: {delta: 0.005, lambda: 0.3, min_windows: 5}, adwin: {}, "
        + "ert: {expected_run_windows: 100, warmup_windows: 20}, cooldown: 6h, rearm_after_windows: 1}");
    // Accuracy around 0.9 for 150 windows, then around 0.8: each window 400 predictions, seeded.
    SplittableRandom random = new SplittableRandom(17);
    double[] accuracy = new double[300];
    for (int i = 0; i < accuracy.length; i++) {
      int right = 0;
      for (int k = 0; k < 400; k++) {
        right += random.nextDouble() < (i < 150 ? 0.9 : 0.8) ? 1 : 0;
      }
      accuracy[i] = right / 400.0;
    }
    List<String> inMemory = decisions(spec, accuracy, false);
    assertThat(decisions(spec, accuracy, true)).containsExactlyElementsOf(inMemory);
    assertThat(inMemory).filteredOn(line -> line.contains("trg-")).isNotEmpty()
        .allSatisfy(line -> assertThat(Integer.parseInt(line.substring(0, line.indexOf(':')))).isGreaterThanOrEqualTo(150));
  }

  @Test
  void ertOnAFeatureDecidesTheSameThroughJson() throws Exception {
    MonitorSpec spec = PolicyEngineTest.spec("{ert: {expected_run_windows: 200, warmup_windows: 20, watch: a}, cooldown: 1h}");
    List<WindowDriftSummary> windows = PolicyEngineTest.ksWindows(100);
    List<String> out = new ArrayList<>();
    for (boolean viaJson : new boolean[] {false, true}) {
      PolicyState s = new PolicyState();
      StringBuilder line = new StringBuilder();
      for (WindowDriftSummary w : windows) {
        if (viaJson) {
          s = roundTrip(s);
        }
        PolicyEngine.Decision d = PolicyEngine.onDriftWindow(spec, PolicyEngineTest.ALL, s, w, 0);
        line.append(d.trigger() == null ? "-" : d.trigger().triggerId()).append(' ').append(d.suppressedBy()).append(';');
      }
      out.add(line + new String(Json.bytes(s)));
    }
    assertThat(out.get(1)).isEqualTo(out.get(0)).contains("trg-");
  }

  @Test
  void readsStateWrittenBeforeDetectorsHadTheirOwn() throws Exception {
    MonitorSpec spec = PolicyEngineTest.spec("{page_hinkley: {delta: 0.005, lambda: 0.2, min_windows: 5}, cooldown: 1h}");
    double[] accuracy = {0.90, 0.91, 0.89, 0.90, 0.90, 0.91, 0.90, 0.75, 0.72, 0.70, 0.70};
    PolicyState s = new PolicyState();
    for (int i = 0; i < 8; i++) {
      PolicyEngine.onPerformance(spec, PolicyEngineTest.ALL, s, accuracy(i, accuracy[i]), 0);
    }
    // The same state as the previous version wrote it: Page-Hinkley in detector_count/mean/sum/min.
    JsonNode ph = s.detectors.get("page_hinkley");
    ObjectNode old = (ObjectNode) Json.mapper().readTree(Json.bytes(s));
    old.remove("detectors");
    old.remove("drift_detector_fed");
    old.put("detector_count", ph.get("count").asLong());
    old.put("detector_mean", ph.get("mean").asDouble());
    old.put("detector_sum", ph.get("sum").asDouble());
    old.put("detector_min", ph.get("min").asDouble());
    PolicyState restored = Json.mapper().readValue(Json.mapper().writeValueAsBytes(old), PolicyState.class);

    assertThat(restored.detectors.get("page_hinkley")).isEqualTo(ph);
    PolicyEngine.Decision d = PolicyEngine.onPerformance(spec, PolicyEngineTest.ALL, restored, accuracy(8, accuracy[8]), 0);
    assertThat(d.trigger()).isNotNull();
    assertThat(d.trigger().reasons()).singleElement().asString().startsWith("Page-Hinkley: error rate rose (cumulative deviation 0.2");
  }
}
