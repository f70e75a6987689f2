package dev.driftline.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyTest {
  @Test
  void latencyIsFirstResultMinusPassTimeAndSkipsWindowsClosedByTheEndOfInput() {
    Map<Long, Long> passTimes = Map.of(60_000L, 1_000L, 120_000L, 2_000L);
    List<Latency.FirstResult> results = List.of(
        new Latency.FirstResult("m", 60_000, 1_250),
        new Latency.FirstResult("m", 120_000, 2_900),
        new Latency.FirstResult("m", 180_000, 9_000));

    assertThat(Latency.latencies(passTimes, results)).containsExactly(250L, 900L);
  }

  @Test
  void percentilesAreNearestRank() {
    List<Long> values = new ArrayList<>();
    for (long v = 100; v >= 1; v--) {
      values.add(v);
    }
    assertThat(Latency.percentile(values, 0.5)).isEqualTo(50L);
    assertThat(Latency.percentile(values, 0.99)).isEqualTo(99L);
    assertThat(Latency.percentile(values, 1.0)).isEqualTo(100L);
    assertThat(Latency.percentile(List.of(7L, 3L, 5L), 0.5)).isEqualTo(5L);
    assertThat(Latency.percentile(List.of(7L, 3L, 5L), 0.99)).isEqualTo(7L);
    assertThat(Latency.percentile(List.of(42L), 0.01)).isEqualTo(42L);
    assertThat(Latency.percentile(List.of(), 0.5)).isNull();
  }
}
