package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.ReliabilityLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * `driftline soak` for half a minute on the real broker, Elasticsearch node and a standalone Flink
 * cluster with the shaded job jar (built by package before the tests of this module): a sample every
 * 5 s, each with a heap, checkpoints completing, results flowing and the traffic at its rate; then,
 * once the job caught up, every drift result of the uninterrupted run committed exactly once with
 * its value, nothing else, no dead letter and no restart. Writes its row of RELIABILITY.md's table
 * ({@link ReliabilityLog}). The long run (`bin/driftline soak --minutes 30`) is outside the build;
 * the bounds' verdicts are {@code TrendTest}'s, a dropped or doubled result's {@code SoakChecksTest}'s.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class SoakCommandTest {
  static final int RATE = 100;
  static final int SECONDS = 30;
  static final long WINDOW_MILLIS = 5_000;
  /** Drift results per window: KS and PSI on 10 numeric features and the score, chi-square and PSI on 3 categorical ones. */
  static final int RESULTS_PER_WINDOW = 28;

  @TempDir Path dir;

  static Path jobJar() throws Exception {
    Path target = Path.of(System.getProperty("user.dir")).resolveSibling("jobs").resolve("drift-detection").resolve("target");
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(f -> f.getFileName().toString().matches("driftline-drift-detection-.*\\.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no shaded drift-detection jar in " + target + "; run mvn verify"));
    }
  }

  @Test
  void halfAMinuteOfSteadyTrafficHasSixSamplesWithCheckpointsAndEveryResultOnce() throws Exception {
    Path out = dir.resolve("soak.json");
    CliRun run = CliRun.of("soak", "--minutes", Double.toString(SECONDS / 60.0), "--sample", "5s", "--warmup", "10s",
        "--window", WINDOW_MILLIS / 1000 + "s", "--checkpoint-interval", "1s", "--rate", Integer.toString(RATE),
        "--max-heap-growth", "200", "--max-state-growth", "4096",
        "--max-checkpoint-time-growth", "60000", "--max-latency-growth", "600", "--max-lag-growth", "100000",
        "--kafka", KafkaExtension.broker().bootstrapServers(), "--es-url", ElasticsearchExtension.url(),
        "--job-jar", jobJar().toString(), "--dir", dir.toString(), "--out", out.toString());

    System.out.print(run.err());  // the progress lines, timed: where a slow run spent its time
    assertThat(out).as(run.err()).exists();
    JsonNode json = new ObjectMapper().readTree(out.toFile());
    JsonNode o = json.get("outcome");
    ReliabilityLog.row("Soak (drift job)", "steady traffic in real time, " + RATE + " predictions/s for " + SECONDS
        + " s with labels (10 % never), one feature shifted halfway; a sample every 5 s; then the catch-up",
        "read_committed drift results = the uninterrupted run recomputed in batch, each once, same values; dead letters ="
        + " its labels later than labels.max_delay; no restart; heap after GC, state, checkpoint, latency and lag slopes within their bounds",
        o.get("numbers").asText(), "SoakCommandTest");
    assertThat(run.exitCode()).as(run.err()).isZero();

    // Every window the final watermark closes (the last prediction less 2 s of out-of-orderness; the
    // traffic's start keeps it more than a second from a window's end), from the first one with a
    // prediction on: 28 results each, all committed once with the uninterrupted run's values.
    long start = Instant.parse(json.get("settings").get("traffic_start").asText()).toEpochMilli();
    long end = Instant.parse(json.get("settings").get("traffic_end").asText()).toEpochMilli();
    assertThat(end - start).isEqualTo(SECONDS * 1000L);
    long windows = Math.floorDiv(end - 2_000, WINDOW_MILLIS) - Math.floorDiv(start, WINDOW_MILLIS);
    assertThat(windows).isBetween(5L, 6L);
    assertThat(o.get("expected").asLong()).isEqualTo(windows * RESULTS_PER_WINDOW);
    assertThat(o.get("results").asLong()).isEqualTo(windows * RESULTS_PER_WINDOW);
    assertThat(o.get("missing").asInt()).isZero();
    assertThat(o.get("duplicates").asInt()).isZero();
    assertThat(o.get("unexpected").asInt()).isZero();
    assertThat(o.get("differing").asInt()).isZero();
    // Labels later than labels.max_delay (1 min) are refused as dead letters; at 5 s on average, none in 30 s.
    assertThat(o.get("expected_dead_letters").asInt()).isZero();
    assertThat(o.get("stray_dead_letters").asInt()).isZero();
    assertThat(o.get("dead_letters").asInt()).isZero();
    assertThat(o.get("restarts").asInt()).isZero();
    assertThat(o.get("lag_left").asInt()).isZero();
    assertThat(o.get("slopes").asText()).isEqualTo("ok");
    // Every prediction written and acknowledged, labels for 90 % of them (2,700 ± 6 standard deviations).
    assertThat(o.get("predictions").asLong()).isEqualTo((long) RATE * SECONDS);
    assertThat(o.get("labels").asLong()).isBetween(2_600L, 2_800L);
    assertThat(o.get("numbers").asText()).startsWith("in=" + (o.get("predictions").asLong() + o.get("labels").asLong())
        + ", results=" + windows * RESULTS_PER_WINDOW + ", duplicates=0, missing=0, dead_letters=0, restarts=0, recovery=")
        .endsWith(", expected=" + windows * RESULTS_PER_WINDOW + ", differing=0, unexpected=0, expected_dead_letters=0,"
        + " stray_dead_letters=0, slopes=ok");

    List<JsonNode> samples = new ArrayList<>();
    json.get("samples").forEach(samples::add);
    // Each taken when due (every 5 s), never before; on a busy machine a sample (a jcmd among others)
    // may take longer than 5 s, and the ones after it come late by as much.
    assertThat(samples).hasSize(6);
    for (int i = 0; i < samples.size(); i++) {
      assertThat(samples.get(i).get("minute").asDouble()).as("sample " + i).isBetween((i + 1) / 12.0, (i + 1) / 12.0 + 0.5);
    }
    for (JsonNode s : samples) {
      // The TaskManager's heap after a full GC: more than its classes' worth, less than its 1600 MB process.
      assertThat(s.get("heap_after_gc_bytes").asLong()).as(s.toString()).isBetween(10L << 20, 1600L << 20);
      assertThat(s.get("lag").asLong()).as(s.toString()).isNotNegative();
    }
    JsonNode last = samples.get(samples.size() - 1);
    // 100 predictions a second for 30 s, written when their time comes: 3000, give or take the last ones in flight.
    assertThat(last.get("produced").asLong()).isBetween(2900L, 3000L);
    assertThat(last.get("checkpoints").asLong()).isGreaterThanOrEqualTo(10);
    assertThat(last.get("state_bytes").asLong()).isPositive();
    assertThat(last.get("checkpoint_millis").asLong()).isPositive();
    assertThat(last.get("results").asLong()).isPositive();
    assertThat(samples.stream().filter(s -> s.get("latency_millis").isNumber()).count()).isGreaterThanOrEqualTo(2);
    assertThat(json.get("trends")).extracting(t -> t.get("measure").asText()).containsExactly("heap_after_gc_mib",
        "state_kib", "checkpoint_kib", "checkpoint_ms", "latency_s", "lag_records");
    assertThat(json.get("trends").get(0).get("slope_per_minute").isNumber()).isTrue();
    assertThat(run.out()).startsWith("| minute | heap after GC MiB |").contains("| heap_after_gc_mib |")
        .contains(o.get("numbers").asText());
  }
}
