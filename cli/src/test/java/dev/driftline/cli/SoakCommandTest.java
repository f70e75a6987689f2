package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftline.testing.ElasticsearchExtension;
import dev.driftline.testing.KafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * `driftline soak` for half a minute on the real broker, Elasticsearch node and a standalone Flink
 * cluster with the shaded job jar (built by package before the tests of this module): a sample every
 * 5 s, each with a heap, checkpoints completing, results flowing and the traffic at its rate. The
 * long run (`bin/driftline soak --minutes 30`) is outside the build; the bounds' verdicts are
 * {@code TrendTest}'s.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class SoakCommandTest {
  @TempDir Path dir;

  static Path jobJar() throws Exception {
    Path target = Path.of(System.getProperty("user.dir")).resolveSibling("jobs").resolve("drift-detection").resolve("target");
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(f -> f.getFileName().toString().matches("driftline-drift-detection-.*\\.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no shaded drift-detection jar in " + target + "; run mvn verify"));
    }
  }

  @Test
  void halfAMinuteOfSteadyTrafficHasSixSamplesWithCheckpointsAndResults() throws Exception {
    Path out = dir.resolve("soak.json");
    CliRun run = CliRun.of("soak", "--minutes", "0.5", "--sample", "5s", "--warmup", "10s", "--window", "5s",
        "--checkpoint-interval", "1s", "--rate", "100", "--max-heap-growth", "200", "--max-state-growth", "4096",
        "--max-checkpoint-time-growth", "60000", "--max-latency-growth", "600", "--max-lag-growth", "100000",
        "--kafka", KafkaExtension.broker().bootstrapServers(), "--es-url", ElasticsearchExtension.url(),
        "--job-jar", jobJar().toString(), "--dir", dir.toString(), "--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toFile());
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
    assertThat(run.out()).startsWith("| minute | heap after GC MiB |").contains("| heap_after_gc_mib |");
  }
}
