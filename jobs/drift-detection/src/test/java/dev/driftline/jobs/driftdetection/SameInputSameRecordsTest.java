package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.services.FlinkTestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same input, same records: the drift job run twice on the same input, once at parallelism 1 with
 * the default bundles and checkpoints every 5 s, once at parallelism 2 with bundles of 7 records or
 * 3 windows and checkpoints every 200 ms. Labels come 20 minutes late on average (10-minute
 * windows, {@code labels.max_delay} 1 h), so windows are updated several times after they close
 * and some labels miss their prediction. Every output must hold the same records in both runs,
 * apart from the wall-clock fields {@code computed_at} and {@code failed_at}. Each input is one
 * in-memory partition and the outputs are collected as their JSON ({@link InMemoryDriftRun}).
 */
class SameInputSameRecordsTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();
  @TempDir static Path dir;

  static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
  static MonitorSpec spec;
  static BaselineFile profile;
  static final Map<String, Map<String, List<String>>> runs = new HashMap<>();

  @BeforeAll
  static void runTwice(@InjectMiniCluster MiniCluster cluster) throws Exception {
    // A long idle timeout: a pause of the shared test machine must not let one input's watermark run ahead.
    String yaml = DriftTraffic.exampleYaml("{size: 10m, max_out_of_orderness: 30s, idle_timeout: 1m}")
        .replace("max_delay: 7d", "max_delay: 1h");
    spec = MonitorSpecParser.parse("credit-default-determinism.yaml", yaml);
    profile = TrainingProfiles.buildLabelled(spec, START.minus(Duration.ofDays(2)), Duration.ofHours(2), 1, START, dir);
    List<TrafficEvent> events = new ArrayList<>();
    new TrafficGenerator(TrafficConfig.of(spec, START, Duration.ofHours(2), 1, 5).withReference(profile)
        .withLabels(Duration.ofMinutes(20), 0.1))
        .forEachRemaining(events::add);

    runs.put("a", InMemoryDriftRun.run(cluster, "det-a", "det",
        new InMemoryDriftRun.Settings(1, DriftDetectionJob.BUNDLE_RECORDS, DriftDetectionJob.BUNDLE_ENTRIES, 5_000, 1),
        spec, Map.of(spec.modelId(), Baseline.fromProfile(profile, spec)), events));
    runs.put("b", InMemoryDriftRun.run(cluster, "det-b", "det", new InMemoryDriftRun.Settings(2, 7, 3, 200, 1),
        spec, Map.of(spec.modelId(), Baseline.fromProfile(profile, spec)), events));
  }

  static long count(String output, String field, String value) {
    return runs.get("a").get(output).stream().filter(r -> {
      try {
        JsonNode n = Json.mapper().readTree(r).get(field);
        return n != null && n.asText().equals(value);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).count();
  }

  @Test
  void theInputExercisesLateLabelUpdatesLabelDriftAndDeadLetters() throws Exception {
    Map<String, Long> emissions = new HashMap<>();
    for (String r : runs.get("a").get("performance")) {
      JsonNode n = Json.mapper().readTree(r);
      if (!n.get("estimated").asBoolean()) {
        emissions.merge(n.get("segment").asText() + n.get("window_start").asText(), 1L, Long::sum);
      }
    }
    assertThat(emissions.values()).as("performance emissions per window").anyMatch(n -> n >= 3);
    assertThat(count("drift", "feature", "__label__")).as("label drift results").isGreaterThan(emissions.size());
    assertThat(count("performance", "estimated", "true")).as("estimates").isPositive();
    assertThat(runs.get("a").get("labelled")).hasSizeGreaterThan(5_000);
    assertThat(count("dead-letters", "stage", "join:labels")).as("labels later than labels.max_delay").isPositive();
  }

  @Test
  void everyOutputHoldsTheSameRecordsWhateverTheParallelismBundlesAndCheckpoints() {
    for (String output : InMemoryDriftRun.OUTPUTS) {
      List<String> a = runs.get("a").get(output);
      List<String> b = runs.get("b").get(output);
      assertThat(b).as(output + ": same number of records").hasSameSizeAs(a);
      assertThat(b).as(output).containsExactlyElementsOf(a);
    }
  }
}
