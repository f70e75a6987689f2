package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Count windows through the drift job ({@link InMemoryDriftRun}): a low-traffic credit-default model (one
 * prediction every 4 s for two hours, in several segments) with windows of 150 predictions against
 * the previous count window. Each window's bounds and size are compared with a batch recomputation
 * that sorts each (model, segment)'s predictions by (event time, prediction id) and cuts every 150.
 */
class CountWindowJobTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final Instant START = Instant.parse("2026-10-05T00:00:00Z");
  static final int N = 150;
  /** Per window: 8 numeric features and the score with KS and PSI, 4 categorical ones with chi-square and PSI. */
  static final int RESULTS_PER_WINDOW = 9 * 2 + 4 * 2;
  static MonitorSpec spec;
  static final List<TrafficEvent> events = new ArrayList<>();
  static final List<JsonNode> drift = new ArrayList<>();

  /** A window as the batch recomputation cuts it: its segment, bounds ([first, last + 1 ms)) and the previous window's bounds. */
  record Window(String segment, String start, String end, String previous) {}

  @BeforeAll
  static void runJobOnGeneratedTraffic(@InjectMiniCluster MiniCluster cluster) throws Exception {
    String yaml = Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
        .replaceAll("(?s)\nreference:.*?\nwindow:", "\nreference: {source: previous_window}\n\nwindow:")
        .replaceAll("(?s)\nwindow:.*?tests:",
            "\nwindow: {type: count, count: " + N + ", max_out_of_orderness: 30s, idle_timeout: 2s}\n\ntests:")
        .replaceAll("(?s)tests:.*?multiple_testing", "tests:\n  numeric: {ks: {alpha: 0.01}, psi: {threshold: 0.25}}\n"
            + "  categorical: {chi2: {alpha: 0.01}, psi: {threshold: 0.25}}\n\nmultiple_testing")
        .replaceAll("(?s)\npolicy:.*$", "\npolicy: {dataset_drift: {share: 0.5, k: 2, n: 3}}\n");
    spec = MonitorSpecParser.parse("credit-default-count-test.yaml", yaml);
    assertThat(spec.window().count()).isEqualTo(N);

    new TrafficGenerator(TrafficConfig.of(spec, START, Duration.ofHours(2), 0.25, 11)).forEachRemaining(events::add);

    drift.addAll(InMemoryDriftRun.parsed(
        InMemoryDriftRun.run(cluster, "cw", InMemoryDriftRun.Settings.defaults(), spec, Map.of(), events).get("drift")));
  }

  /**
   * Every full count window but each segment's first (which has no previous window to compare
   * with), from the generated predictions sorted by (event time, prediction id).
   */
  static Set<Window> batchWindows() {
    Map<String, List<TrafficEvent>> bySegment = new TreeMap<>();
    for (TrafficEvent e : events) {
      if (e.type() == TrafficEvent.Type.PREDICTION) {
        bySegment.computeIfAbsent(DriftResult.ALL_SEGMENTS, k -> new ArrayList<>()).add(e);
        JsonNode segment = e.body().get("segment");
        if (segment != null && !segment.isNull()) {
          bySegment.computeIfAbsent(segment.asText(), k -> new ArrayList<>()).add(e);
        }
      }
    }
    Set<Window> out = new HashSet<>();
    bySegment.forEach((segment, list) -> {
      list.sort(Comparator.comparingLong(TrafficEvent::ts).thenComparing(e -> e.body().get("prediction_id").asText()));
      String previous = null;
      for (int k = 0; (k + 1) * N <= list.size(); k++) {
        String start = Instant.ofEpochMilli(list.get(k * N).ts()).toString();
        String end = Instant.ofEpochMilli(list.get((k + 1) * N - 1).ts() + 1).toString();
        if (previous != null) {
          out.add(new Window(segment, start, end, "previous-window:" + previous));
        }
        previous = start + "/" + end;
      }
    });
    return out;
  }

  @Test
  void windowsAreTheBatchCutOfEveryNPredictionsInTimeThenIdOrder() {
    Set<Window> expected = batchWindows();
    assertThat(expected.stream().filter(w -> w.segment().equals(DriftResult.ALL_SEGMENTS))).hasSize(1800 / N - 1);
    assertThat(expected.stream().map(Window::segment).distinct().count()).isGreaterThan(2);

    Set<Window> seen = new HashSet<>();
    for (JsonNode r : drift) {
      seen.add(new Window(r.get("segment").asText(), r.get("window_start").asText(), r.get("window_end").asText(),
          r.get("reference_id").asText()));
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void everyWindowHasAllItsResultsEachOverNPredictions() {
    assertThat(drift).hasSize(batchWindows().size() * RESULTS_PER_WINDOW);
    assertThat(drift).filteredOn(r -> r.get("feature_type").asText().equals("score"))
        .allSatisfy(r -> assertThat(r.get("n_current").asLong()).isEqualTo(N))
        .allSatisfy(r -> assertThat(r.get("n_reference").asLong()).isEqualTo(N))
        .hasSize(batchWindows().size() * 2);
  }
}
