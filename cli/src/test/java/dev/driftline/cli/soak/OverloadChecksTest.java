package dev.driftline.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.cli.bench.BenchData;
import dev.driftline.cli.bench.BenchSpecs;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.services.PrometheusMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an overload run checks, on values made here: the batch recomputation, the comparison, the metrics read, the verdict. */
class OverloadChecksTest {
  @TempDir Path dir;

  /** Two numeric and one categorical feature in 10 s windows; 35 s of traffic from 12:00:01. */
  TrafficConfig traffic(MonitorSpec spec, BaselineFile profile) {
    return SoakTraffic.config(spec, profile, Instant.parse("2026-12-07T12:00:01Z"), Duration.ofSeconds(35), 40, 3);
  }

  MonitorSpec spec() {
    return spec(dir, Duration.ofSeconds(10));
  }

  /** Two numeric and one categorical feature in {@code window} windows, as the soak and overload runs synthesize them. */
  static MonitorSpec spec(Path dir, Duration window) {
    return MonitorSpecParser.parse("monitor.yaml", BenchSpecs.monitorYaml("m", 2, 1, window, false,
        SoakCommand.OUT_OF_ORDERNESS, SoakCommand.MAX_LABEL_DELAY, dir.resolve("profile.json").toString()));
  }

  @Test
  void theUninterruptedRunClosesTheWindowsBeforeTheFinalWatermark() throws Exception {
    MonitorSpec spec = spec();
    BaselineFile profile = BenchData.profile(spec, 3, dir);
    TrafficConfig config = traffic(spec, profile);

    Map<String, DriftResult> results = UninterruptedDrift.of(spec, profile, config);

    // The last prediction at 12:00:35.975 (1400 at 40/s), watermark 12:00:33.974: windows from 12:00:00,
    // :10 and :20 close, :30 does not; 8 results each (KS and PSI on 2 numeric features and the score,
    // chi-square and PSI on 1 categorical one).
    assertThat(results.values()).extracting(DriftResult::windowStart).containsOnly("2026-12-07T12:00:00Z",
        "2026-12-07T12:00:10Z", "2026-12-07T12:00:20Z");
    assertThat(results).hasSize(24);
    assertThat(results.values().stream().filter(r -> r.windowStart().equals("2026-12-07T12:00:00Z")).mapToLong(DriftResult::nCurrent)
        .max().orElseThrow()).isEqualTo(360);
    // 12:00:36 less 2 s of out-of-orderness is 4 s into a window: 4 s from its start, 6 s from its end.
    assertThat(UninterruptedDrift.watermarkMargin(spec, config)).isEqualTo(4000);
  }

  @Test
  void comparisonCountsDoubledMissingUnexpectedAndChangedResultsById() throws Exception {
    MonitorSpec spec = spec();
    BaselineFile profile = BenchData.profile(spec, 3, dir);
    Map<String, DriftResult> expected = UninterruptedDrift.of(spec, profile, traffic(spec, profile));
    List<DriftResult> all = new ArrayList<>(expected.values());
    List<byte[]> committed = new ArrayList<>();
    for (DriftResult r : all.subList(2, all.size())) {
      committed.add(Json.bytes(r));
    }
    committed.add(Json.bytes(all.get(2)));                                   // doubled
    ObjectNode changed = (ObjectNode) Json.mapper().readTree(Json.bytes(all.get(3)));
    changed.put("statistic", changed.get("statistic").asDouble() + 1e-9);
    committed.set(1, Json.mapper().writeValueAsBytes(changed));              // changed
    ObjectNode stranger = (ObjectNode) Json.mapper().readTree(Json.bytes(all.get(4)));
    stranger.put("window_start", "2026-12-07T11:59:50Z");
    committed.add(Json.mapper().writeValueAsBytes(stranger));                // unexpected
    ObjectNode later = (ObjectNode) Json.mapper().readTree(Json.bytes(all.get(5)));
    later.put("computed_at", "2030-01-01T00:00:00Z");
    committed.set(3, Json.mapper().writeValueAsBytes(later));                // written later: the same result

    DriftComparison c = DriftComparison.of(expected, committed);

    assertThat(c).extracting(DriftComparison::expected, DriftComparison::results, DriftComparison::duplicates,
        DriftComparison::missing, DriftComparison::unexpected, DriftComparison::differing).containsExactly(24, 24, 1, 2, 1, 1);
    assertThat(c.difference()).startsWith(all.get(3).id() + ": committed ");
    assertThat(c.exact()).isFalse();
    List<byte[]> exact = expected.values().stream().map(Json::bytes).toList();
    assertThat(DriftComparison.of(expected, exact).exact()).isTrue();
  }

  @Test
  void probeSumsTheSourcesPendingRecordsAndTakesThePredictionsSourcesBackPressure() {
    String text = String.join("\n",
        "# HELP flink_taskmanager_job_task_operator_pendingRecords pendingRecords",
        "flink_taskmanager_job_task_operator_pendingRecords{operator_name=\"Source: predictions\",subtask_index=\"0\",} 12000.0",
        "flink_taskmanager_job_task_operator_pendingRecords{operator_name=\"Source: predictions\",subtask_index=\"1\",} 11000.0",
        "flink_taskmanager_job_task_operator_pendingRecords{operator_name=\"Source: labels\",subtask_index=\"0\",} 900.0",
        "flink_taskmanager_job_task_operator_pendingRecords{operator_name=\"Source: baselines\",subtask_index=\"0\",} 5.0",
        "flink_taskmanager_job_task_backPressuredTimeMsPerSecond{task_name=\"Source: predictions -> decode predictions\",subtask_index=\"0\",} 310.0",
        "flink_taskmanager_job_task_backPressuredTimeMsPerSecond{task_name=\"Source: predictions -> decode predictions\",subtask_index=\"1\",} 655.0",
        "flink_taskmanager_job_task_backPressuredTimeMsPerSecond{task_name=\"join labels\",subtask_index=\"0\",} 990.0",
        "flink_taskmanager_job_task_busyTimeMsPerSecond{task_name=\"join labels\",subtask_index=\"0\",} 870.0",
        "flink_taskmanager_job_task_busyTimeMsPerSecond{task_name=\"summarize windows\",subtask_index=\"1\",} NaN",
        "");

    OverloadProbe.Reading r = OverloadProbe.of(PrometheusMetrics.parse(text));

    assertThat(r).isEqualTo(new OverloadProbe.Reading(23_900, 655.0, 870.0));
    assertThat(OverloadProbe.of(List.of())).isEqualTo(new OverloadProbe.Reading(0, 0, 0));
  }

  @Test
  void aRunFailsWhenAResultIsLostOrNoOverloadWasSeenOrLagIsLeft() {
    DriftComparison exact = new DriftComparison(52, 52, 0, 0, 0, 0, null);
    OverloadSample caughtUp = new OverloadSample(61.2, "caught up", 100_000, 0, 0, 0, 120, 52);
    OverloadReport.Outcome good = new OverloadReport.Outcome(100_000, 90_000, 5000, 1800, new RunResults(exact, 0, 0, 0, 0, 35.5),
        40_000, 52_000, 640);
    assertThat(OverloadCommand.problems(good, caughtUp)).isEmpty();
    assertThat(good.factor()).isCloseTo(2.777, org.assertj.core.api.Assertions.within(0.001));
    assertThat(good.numbers().toString()).startsWith("in=190000, results=52, duplicates=0, missing=0, dead_letters=0,"
        + " restarts=0, recovery=35.5s, recovery_to=caught_up, expected=52, differing=0, unexpected=0, expected_dead_letters=0,"
        + " stray_dead_letters=0, offered=");

    DriftComparison lost = new DriftComparison(52, 51, 1, 2, 0, 0, null);
    OverloadReport.Outcome bad = new OverloadReport.Outcome(100_000, 90_000, 500, 480, new RunResults(lost, 3, 0, 3, 1, 2.0), 0, 900, 0);
    assertThat(OverloadCommand.problems(bad, new OverloadSample(30, "caught up", 10_000, 12, 0, 0, 100, 51))).containsExactly(
        "drift results against the uninterrupted run's 52: 2 missing, 1 duplicates, 0 unexpected, 0 differing",
        "3 dead letters, expected 0 (labels later than labels.max_delay, stage join:labels): 3 not among them or not there",
        "the job restarted 1 times, expected none",
        "the predictions source was never back-pressured: --rate 500 is not more than the job sustains",
        "pendingRecords of the Kafka sources was never above 0: no lag seen in the job's metrics",
        "lag left after the catch-up: pendingRecords 12, consumer group lag 0, expected 0 and 0");
  }
}
