package dev.driftline.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  private final List<RunResult> runs = List.of(
      new RunResult("pass-through", 100_000, 4.0, null, null, 6_400, 97_000_000, null, null, java.util.Map.of()),
      new RunResult("drift+labels", 100_000, 10.0, 850L, 12_345L, 2_500_000, 370_000_000, 1_234L, 0.954,
          java.util.Map.of("summarize windows (1/2)#0", 410L, "summarize windows (2/2)#0", 395L)),
      new RunResult("drift+labels@10x-window", 100_000, 20.0, null, null, 25_000_000, 440_000_000, 12_340L, null, java.util.Map.of()),
      new RunResult("drift+labels@p1", 100_000, 12.5, 300L, 530L, 420_000, 270_000_000, null, null, java.util.Map.of()));
  private final BenchReport.Machine machine = new BenchReport.Machine(2, 6_000_000_000L, "Debian 17.0.15", "Linux 6.1 amd64",
      "AMD EPYC", "2026-03-02T00:00:00Z");

  @Test
  void jsonHasTheNamesScriptsRead() {
    ObjectNode settings = Json.mapper().createObjectNode().put("predictions", 100_000);
    JsonNode json = BenchReport.json(machine, settings, runs);

    assertThat(json.get("machine").get("cores").asInt()).isEqualTo(2);
    assertThat(json.get("machine").get("max_heap_bytes").asLong()).isEqualTo(6_000_000_000L);
    assertThat(json.get("machine").get("cpu").asText()).isEqualTo("AMD EPYC");
    assertThat(json.get("settings").get("predictions").asLong()).isEqualTo(100_000);
    JsonNode drift = json.get("runs").get(1);
    assertThat(drift.get("name").asText()).isEqualTo("drift+labels");
    assertThat(drift.get("records").asLong()).isEqualTo(100_000);
    assertThat(drift.get("seconds").asDouble()).isEqualTo(10.0);
    assertThat(drift.get("records_per_s").asDouble()).isEqualTo(10_000.0);
    assertThat(drift.get("ratio_to_pass_through").asDouble()).isEqualTo(0.4);
    assertThat(drift.get("latency_ms_p50").asLong()).isEqualTo(850);
    assertThat(drift.get("latency_ms_p99").asLong()).isEqualTo(12_345);
    assertThat(drift.get("checkpoint_bytes").asLong()).isEqualTo(2_500_000);
    assertThat(drift.get("peak_heap_bytes").asLong()).isEqualTo(370_000_000);
    assertThat(drift.get("state_bytes_per_key").asLong()).isEqualTo(1_234);
    assertThat(drift.get("cpu_busy").asDouble()).isEqualTo(0.954);
    assertThat(drift.get("task_cpu_ms").get("summarize windows (2/2)#0").asLong()).isEqualTo(395);
    JsonNode passThrough = json.get("runs").get(0);
    assertThat(passThrough.get("latency_ms_p50").isNull()).isTrue();
    assertThat(passThrough.get("state_bytes_per_key").isNull()).isTrue();
    assertThat(json.get("window_growth_ratio").asDouble()).isEqualTo(0.5);
    assertThat(json.get("scaling_ratio_p2_p1").asDouble()).isEqualTo(1.25);
  }

  @Test
  void ratiosAreNullWhenTheirRunsWereNotMade() {
    List<RunResult> only = List.of(new RunResult("drift", 10, 1.0, 5L, 9L, 1, 1, null, null, java.util.Map.of()));
    JsonNode json = BenchReport.json(machine, Json.mapper().createObjectNode(), only);

    assertThat(json.get("runs").get(0).get("ratio_to_pass_through").isNull()).isTrue();
    assertThat(json.get("window_growth_ratio").isNull()).isTrue();
    assertThat(json.get("scaling_ratio_p2_p1").isNull()).isTrue();
    assertThat(BenchReport.ratioToPassThrough(only, only.get(0))).isNull();
    assertThat(BenchReport.scalingRatio(runs)).isCloseTo(1.25, within(1e-12));
  }

  @Test
  void tableHasOneRowPerRunInHumanUnitsAndTheDerivedLines() {
    String table = BenchReport.table(runs, 2);

    assertThat(table.lines().toList()).containsSubsequence(
        "| run | records | seconds | records/s | × pass-through | latency p50 | latency p99 | checkpoint | peak heap | state/key | cpu busy |",
        "| pass-through | 100000 | 4.0 | 25000 | 1.00 | – | – | 6.4 kB | 97.0 MB | – | – |",
        "| drift+labels | 100000 | 10.0 | 10000 | 0.40 | 850 ms | 12.3 s | 2.5 MB | 370.0 MB | 1.2 kB | 95 % |",
        "| drift+labels@10x-window | 100000 | 20.0 | 5000 | 0.20 | – | – | 25.0 MB | 440.0 MB | 12.3 kB | – |",
        "| drift+labels@p1 | 100000 | 12.5 | 8000 | 0.32 | 300 ms | 530 ms | 420.0 kB | 270.0 MB | – | – |",
        "window growth (drift+labels@10x-window ÷ drift+labels, records/s): 0.50; state/key (drift + performance window) 1.2 kB → 12.3 kB",
        "scaling (drift+labels p2 ÷ p1, records/s): 1.25");
  }

  @Test
  void unitsAreDecimal() {
    assertThat(BenchReport.bytes(999)).isEqualTo("999 B");
    assertThat(BenchReport.bytes(1_500)).isEqualTo("1.5 kB");
    assertThat(BenchReport.bytes(2_340_000)).isEqualTo("2.3 MB");
    assertThat(BenchReport.bytes(1_200_000_000)).isEqualTo("1.20 GB");
    assertThat(BenchReport.millis(9_999L)).isEqualTo("9999 ms");
    assertThat(BenchReport.millis(10_000L)).isEqualTo("10.0 s");
    assertThat(BenchReport.millis(null)).isEqualTo("–");
  }

  @Test
  void repeatedRunsReportTheirMedianRound() {
    List<RunResult> rounds = List.of(
        new RunResult("drift", 100, 2.0, null, null, 0, 0, null, null, java.util.Map.of()),
        new RunResult("drift", 100, 1.0, null, null, 0, 0, null, null, java.util.Map.of()),
        new RunResult("drift", 100, 4.0, null, null, 0, 0, null, null, java.util.Map.of()));
    assertThat(BenchReport.median(rounds).seconds()).isEqualTo(2.0);
    assertThat(BenchReport.median(rounds.subList(0, 2)).seconds()).isEqualTo(2.0);
  }

  @Test
  void theTableSaysHowTheJobsCompareWithNaiveAndWhatAJoinedPredictionAndAWindowCloseCost() {
    List<RunResult> measured = List.of(
        new RunResult("drift", 1_000_000, 40.0, 300L, 900L, 1, 1, null, null,
            java.util.Map.of("join labels -> x (1/2)#0", 2_000L, "join labels -> x (2/2)#0", 2_500L,
                "drift per window (1/2)#0", 300L, "drift per window (2/2)#0", 200L), 10_000L),
        new RunResult("naive", 1_000_000, 20.0, 100L, 200L, 1, 1, null, null, java.util.Map.of()));

    String table = BenchReport.table(measured, 2);
    JsonNode json = BenchReport.json(machine, Json.mapper().createObjectNode(), measured);

    assertThat(table).contains("against naive (records/s ÷ naive's): drift 0.50\n");
    assertThat(table).contains("label join CPU per prediction (its threads, which also summarize drift locally, ÷ predictions): drift 4.5 µs\n");
    assertThat(table).contains("drift tests CPU per window close and feature: drift 50.0 µs\n");
    assertThat(json.get("runs").get(0).get("join_cpu_us_per_prediction").asDouble()).isEqualTo(4.5);
    assertThat(json.get("runs").get(0).get("window_close_cpu_us_per_feature").asDouble()).isEqualTo(50.0);
    assertThat(json.get("runs").get(0).get("feature_windows").asLong()).isEqualTo(10_000);
    assertThat(json.get("runs").get(1).get("join_cpu_us_per_prediction").isNull()).isTrue();
  }
}
