package dev.driftline.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.cli.bench.BenchData;
import dev.driftline.core.io.Json;
import dev.driftline.core.profile.ReferenceProfile;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.window.DriftResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a soak run checks of its outputs, on values made here: the traffic's start, the comparison's verdict, the row. */
class SoakChecksTest {
  @TempDir Path dir;

  MonitorSpec spec() {
    return OverloadChecksTest.spec(dir, Duration.ofSeconds(5));
  }

  @Test
  void trafficStartsLateEnoughForItsFinalWatermarkToBeClearOfWindowEnds() throws Exception {
    MonitorSpec spec = spec();
    ReferenceProfile profile = BenchData.profile(spec, 3, dir);
    Duration margin = SoakCommand.watermarkMargin(Duration.ofSeconds(5));
    // 30 s from 12:00:01: the final watermark (the end less 2 s of out-of-orderness), 12:00:29, is 1 s from a
    // window's end; from 12:00:02.25 it is 0.25 s; from 12:00:03.5, 1.5 s.
    TrafficConfig config = SoakTraffic.clearOfWindowEnds(spec, profile, Instant.parse("2026-12-07T12:00:01Z"),
        Duration.ofSeconds(30), 100, 3, margin);

    assertThat(margin).isEqualTo(Duration.ofMillis(1250));
    assertThat(SoakCommand.watermarkMargin(Duration.ofMinutes(1))).isEqualTo(OverloadCommand.WATERMARK_MARGIN);
    assertThat(config.start()).isEqualTo(Instant.parse("2026-12-07T12:00:03.500Z"));
    assertThat(UninterruptedDrift.watermarkMargin(spec, config)).isEqualTo(1500);
  }

  @Test
  void aResultDroppedAndAnotherDoubledFailTheSoakAndShowInItsRow() throws Exception {
    MonitorSpec spec = spec();
    ReferenceProfile profile = BenchData.profile(spec, 3, dir);
    TrafficConfig config = SoakTraffic.config(spec, profile, Instant.parse("2026-12-07T12:00:03.500Z"), Duration.ofSeconds(30),
        100, 3);
    Map<String, DriftResult> expected = UninterruptedDrift.of(spec, profile, config);
    List<byte[]> committed = new ArrayList<>();
    expected.values().forEach(r -> committed.add(Json.bytes(r)));
    List<SoakSample> samples = TrendTest.samples(3, m -> 300);
    List<Trend> trends = Trend.of(samples, TrendTest.measures(), 0);

    // The last prediction near 12:00:33.5, the final watermark near 12:00:31.5: the windows from 12:00:00 to
    // 12:00:25 close, 6 of 8 results each (KS and PSI on 2 numeric features and the score, chi-square and PSI on 1 categorical one).
    assertThat(expected).hasSize(48);
    SoakReport.Outcome exact = new SoakReport.Outcome(3000, 2700,
        RunResults.of(expected, committed, 0, 0, 4.0), 0);
    assertThat(SoakCommand.problems(samples, trends, exact)).isEmpty();
    assertThat(exact.numbers(trends).toString()).isEqualTo("in=5700, results=48, duplicates=0, missing=0, dead_letters=0,"
        + " restarts=0, recovery=4.0s, recovery_to=caught_up, expected=48, differing=0, unexpected=0, slopes=ok");

    committed.remove(7);
    committed.add(committed.get(20));
    SoakReport.Outcome wrong = new SoakReport.Outcome(3000, 2700, RunResults.of(expected, committed, 0, 0, 4.0), 0);
    assertThat(SoakCommand.problems(samples, trends, wrong)).containsExactly(
        "drift results against the uninterrupted run's 48: 1 missing, 1 duplicates, 0 unexpected, 0 differing");
    assertThat(wrong.numbers(trends).toString()).startsWith("in=5700, results=48, duplicates=1, missing=1, dead_letters=0,");

    SoakReport.Outcome stuck = new SoakReport.Outcome(3000, 2700, RunResults.of(expected, committed.subList(0, 10), 2, 1, 300),
        450);
    List<Trend> growing = Trend.of(TrendTest.samples(10, m -> 300 + 10 * m), TrendTest.measures(), 0);
    assertThat(SoakCommand.problems(samples, growing, stuck)).containsExactly(
        "heap_after_gc_mib grows by 10.0 per minute, more than the bound 4",
        "drift results against the uninterrupted run's 48: 38 missing, 0 duplicates, 0 unexpected, 0 differing",
        "2 dead letters, expected none",
        "the job restarted 1 times, expected none",
        "the job had not caught up 5m after the traffic ended: consumer group lag 450 records, expected 0");
    assertThat(stuck.numbers(growing).toString()).endsWith(", slopes=grows:heap_after_gc_mib");
  }
}
