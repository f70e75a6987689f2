package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.services.FlinkTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Values of the wrong type through the drift job: every 25th prediction sends income as text and
 * every 40th loan_purpose as an object. None is a dead letter; each window's {@code wrong_type}
 * and {@code missing_share} results count them, equal to a recount of the input by window.
 */
class DataQualityJobTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final Instant START = Instant.parse("2026-11-04T00:00:00Z");
  static final long WINDOW = Duration.ofMinutes(10).toMillis();

  @Test
  void wrongTypesAreCountedPerFeatureAndWindowAndNoPredictionIsLost(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    String yaml = Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
        .replaceAll("(?s)\nreference:.*?\nwindow:", "\nreference: {source: previous_window}\n\nwindow:")
        .replaceAll("(?s)\nwindow:.*?\ntests:", "\nwindow: {size: 10m, allowed_lateness: 10m, max_out_of_orderness: 30s, idle_timeout: 5m}\n\ntests:")
        .replaceAll("(?m)^labels:\\n  max_delay:.*$", "labels: none")
        + "\ndata_quality: {missing_share: {}, wrong_type: {}}\n";
    MonitorSpec spec = MonitorSpecParser.parse("credit-default-quality.yaml", yaml);
    List<TrafficEvent> events = new ArrayList<>();
    int n = 0;
    // Per window start: predictions, income as text, income missing (text or null), loan_purpose as an object.
    Map<String, long[]> expected = new TreeMap<>();
    for (TrafficEvent e : (Iterable<TrafficEvent>) () -> new TrafficGenerator(
        TrafficConfig.of(spec, START, Duration.ofHours(1), 0.5, 13))) {
      if (e.type() != TrafficEvent.Type.PREDICTION) {
        continue;
      }
      ObjectNode body = e.body().deepCopy();
      ObjectNode features = (ObjectNode) body.get("features");
      long[] c = expected.computeIfAbsent(Instant.ofEpochMilli(e.ts() / WINDOW * WINDOW).toString(), k -> new long[4]);
      c[0]++;
      if (n % 25 == 0) {
        features.put("income", "n/a");
        c[1]++;
      }
      if (features.get("income").isNull() || features.get("income").isTextual()) {
        c[2]++;
      }
      if (n % 40 == 7) {
        features.putObject("loan_purpose").put("code", 4);
        c[3]++;
      }
      events.add(new TrafficEvent(e.type(), e.ts(), e.key(), body));
      n++;
    }
    assertThat(n).isGreaterThan(1_000);

    Map<String, List<String>> outputs = InMemoryDriftRun.run(cluster, "quality", InMemoryDriftRun.Settings.defaults(),
        spec, Map.of(), events);

    assertThat(outputs.get("dead-letters")).isEmpty();
    Map<String, JsonNode> wrongIncome = new TreeMap<>();
    Map<String, JsonNode> wrongPurpose = new TreeMap<>();
    Map<String, JsonNode> missingIncome = new TreeMap<>();
    for (JsonNode r : InMemoryDriftRun.parsed(outputs.get("drift"))) {
      if (!r.path("segment").asText().equals(DriftResult.ALL_SEGMENTS)) {
        continue;
      }
      String key = r.path("feature").asText() + " " + r.path("test").asText();
      Map<String, JsonNode> into = switch (key) {
        case "income wrong_type" -> wrongIncome;
        case "loan_purpose wrong_type" -> wrongPurpose;
        case "income missing_share" -> missingIncome;
        default -> null;
      };
      if (into != null) {
        assertThat(into.put(r.path("window_start").asText(), r)).as(key + " once per window").isNull();
      }
    }
    // The first window has no previous window to compare with; every later one has its results.
    List<String> windows = new ArrayList<>(expected.keySet());
    assertThat(wrongIncome.keySet()).containsExactlyElementsOf(windows.subList(1, windows.size()));
    for (String w : wrongIncome.keySet()) {
      long[] c = expected.get(w);
      assertThat(wrongIncome.get(w).path("n_current").asLong()).as(w).isEqualTo(c[0]);
      assertThat(wrongIncome.get(w).path("statistic").asDouble()).as(w).isEqualTo((double) c[1] / c[0]);
      assertThat(wrongIncome.get(w).path("drift").asBoolean()).as(w).isEqualTo(c[1] > 0);
      assertThat(missingIncome.get(w).path("statistic").asDouble()).as(w).isEqualTo((double) c[2] / c[0]);
      assertThat(missingIncome.get(w).path("n_current").asLong()).as(w).isEqualTo(c[0]);
      assertThat(missingIncome.get(w).has("p_value")).isTrue();
      assertThat(wrongPurpose.get(w).path("statistic").asDouble()).as(w).isEqualTo((double) c[3] / c[0]);
    }
    assertThat(expected.values().stream().mapToLong(c -> c[1]).sum()).isEqualTo((n + 24) / 25);
  }
}
