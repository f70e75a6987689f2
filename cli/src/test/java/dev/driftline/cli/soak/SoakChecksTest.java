package dev.driftline.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.cli.bench.BenchData;
import dev.driftline.cli.bench.BenchSpecs;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a soak run checks of its outputs, on values made here: the traffic's start, the comparison's verdict, the row. */
class SoakChecksTest {
  /** Labels of the 10 s test traffic later than its 10 s max_delay whose deadline the final watermark reaches. */
  static final int REFUSED = 44;
  @TempDir Path dir;

  MonitorSpec spec() {
    return OverloadChecksTest.spec(dir, Duration.ofSeconds(5));
  }

  @Test
  void trafficStartsLateEnoughForItsFinalWatermarkToBeClearOfWindowEnds() throws Exception {
    MonitorSpec spec = spec();
    BaselineFile profile = BenchData.profile(spec, 3, dir);
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
    BaselineFile profile = BenchData.profile(spec, 3, dir);
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
        RunResults.of(expected, committed, Set.of(), List.of(), 0, 4.0), 0);
    assertThat(SoakCommand.problems(samples, trends, exact)).isEmpty();
    assertThat(exact.numbers(trends).toString()).isEqualTo("in=5700, results=48, duplicates=0, missing=0, dead_letters=0,"
        + " restarts=0, recovery=4.0s, recovery_to=caught_up, expected=48, differing=0, unexpected=0, expected_dead_letters=0,"
        + " stray_dead_letters=0, slopes=ok");

    committed.remove(7);
    committed.add(committed.get(20));
    SoakReport.Outcome wrong = new SoakReport.Outcome(3000, 2700,
        RunResults.of(expected, committed, Set.of(), List.of(), 0, 4.0), 0);
    assertThat(SoakCommand.problems(samples, trends, wrong)).containsExactly(
        "drift results against the uninterrupted run's 48: 1 missing, 1 duplicates, 0 unexpected, 0 differing");
    assertThat(wrong.numbers(trends).toString()).startsWith("in=5700, results=48, duplicates=1, missing=1, dead_letters=0,");

    // One label expected refused (p-1) and its dead letter there; another (p-2) not expected; a third (p-3) expected, not there.
    List<byte[]> deadLetters = List.of(deadLetter("join:labels", "p-1"), deadLetter("join:labels", "p-2"));
    SoakReport.Outcome stuck = new SoakReport.Outcome(3000, 2700,
        RunResults.of(expected, committed.subList(0, 10), Set.of("p-1", "p-3"), deadLetters, 1, 300), 450);
    List<Trend> growing = Trend.of(TrendTest.samples(10, m -> 300 + 10 * m), TrendTest.measures(), 0);
    assertThat(SoakCommand.problems(samples, growing, stuck)).containsExactly(
        "heap_after_gc_mib grows by 10.0 per minute, more than the bound 4",
        "drift results against the uninterrupted run's 48: 38 missing, 0 duplicates, 0 unexpected, 0 differing",
        "2 dead letters, expected 2 (labels later than labels.max_delay, stage join:labels): 2 not among them or not there",
        "the job restarted 1 times, expected none",
        "the job had not caught up 5m after the traffic ended: consumer group lag 450 records, expected 0");
    assertThat(stuck.numbers(growing).toString()).endsWith(", expected_dead_letters=2, stray_dead_letters=2,"
        + " slopes=grows:heap_after_gc_mib");
  }

  @Test
  void theLabelsRefusedAreThoseLaterThanMaxLabelDelayThatTheFinalWatermarkExpires() throws Exception {
    // labels.max_delay 10 s against labels 5 s late on average: e^-2, 13.5 % of them come later.
    MonitorSpec spec = MonitorSpecParser.parse("monitor.yaml", BenchSpecs.monitorYaml("m", 2, 1, Duration.ofSeconds(5), false,
        SoakCommand.OUT_OF_ORDERNESS, Duration.ofSeconds(10), dir.resolve("profile.json").toString()));
    BaselineFile profile = BenchData.profile(spec, 3, dir);
    TrafficConfig config = SoakTraffic.config(spec, profile, Instant.parse("2026-12-07T12:00:03.500Z"), Duration.ofSeconds(30),
        100, 3);
    long watermark = Instant.parse("2026-12-07T12:00:31.500Z").toEpochMilli();
    Map<String, Long> predicted = new java.util.HashMap<>();
    java.util.Set<String> late = new java.util.TreeSet<>();
    for (TrafficGenerator events = new TrafficGenerator(config); events.hasNext(); ) {
      TrafficEvent e = events.next();
      String id = e.body().get("prediction_id").asText();
      if (e.type() == TrafficEvent.Type.PREDICTION) {
        predicted.put(id, e.ts());
      } else if (e.ts() - predicted.get(id) > 10_000 && e.ts() + 10_000 <= watermark) {
        late.add(id);
      }
    }

    Set<String> refused = UninterruptedDrift.refusedLabels(spec, config);

    assertThat(refused).isEqualTo(late).hasSize(REFUSED);
  }

  /** A dead letter as the job writes it, of the stage and key given. */
  static byte[] deadLetter(String stage, String key) {
    return Json.mapper().createObjectNode().put("stage", stage).put("reason", "r").put("key", key).toString()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
