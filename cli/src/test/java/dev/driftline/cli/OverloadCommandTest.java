package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.ReliabilityLog;
import dev.driftline.services.ServiceLocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * `driftline overload` for 10 s on the real broker, Elasticsearch node and a standalone Flink cluster
 * with the shaded job jar: seeded traffic at a rate this 2-core machine cannot sustain (predictions
 * and labels, about 9,500 records a second), then the catch-up. Every drift result of the
 * uninterrupted run is committed exactly once with its value, nothing else and no dead letter; the
 * back-pressure and the lag were visible in the job's Prometheus metrics, and the lag went back to 0.
 * Writes its row of RELIABILITY.md's table ({@link ReliabilityLog}).
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class OverloadCommandTest {
  static final int RATE = 10_000;
  static final int SECONDS = 10;

  /** Kept after the run: the cluster's logs and the last scrape of the TaskManager's metrics are in its run directory. */
  final Path dir = Path.of("target", "overload-test");

  @Test
  void tenSecondsFasterThanTheJobGoesLoseNoResultAndCatchUp() throws Exception {
    Path out = dir.resolve("overload.json");
    Files.deleteIfExists(out);
    // The TaskManager at the speed the command measures (the optimizing compiler, as outside the
    // suite): on the client compiler the sources kept up with the broker, the backlog sat inside the
    // job, and pendingRecords stayed near 0.
    String quickWorkers = System.clearProperty(ServiceLocations.QUICK_WORKERS);
    CliRun run;
    try {
      run = CliRun.of("overload", "--rate", Integer.toString(RATE), "--minutes", Double.toString(SECONDS / 60.0),
          "--sample", "2s", "--window", "8s", "--checkpoint-interval", "2s", "--catch-up-timeout", "3m", "--seed", "7",
          "--kafka", KafkaExtension.broker().bootstrapServers(), "--es-url", ElasticsearchExtension.url(),
          "--job-jar", SoakCommandTest.jobJar().toString(), "--dir", dir.toString(), "--out", out.toString());
    } finally {
      if (quickWorkers != null) {
        System.setProperty(ServiceLocations.QUICK_WORKERS, quickWorkers);
      }
    }

    assertThat(out).as(run.err()).exists();
    JsonNode json = new ObjectMapper().readTree(out.toFile());
    JsonNode o = json.get("outcome");
    ReliabilityLog.row("Overload (drift job)", "predictions and labels written for " + SECONDS + " s at " + RATE
        + " predictions/s, more than the standalone cluster sustains on the test machine; then the catch-up",
        "read_committed drift results = the uninterrupted run recomputed in batch, each once, same values; no dead letter,"
        + " no restart; back-pressure and pendingRecords seen in Prometheus, lag 0 at the end",
        o.get("numbers").asText(), "OverloadCommandTest");
    assertThat(run.exitCode()).as(run.err()).isZero();

    // 10,000 predictions a second for 10 s, every one acknowledged; labels for 90 % of them.
    assertThat(o.get("predictions").asLong()).isEqualTo((long) RATE * SECONDS);
    assertThat(o.get("labels").asLong()).isBetween(85_000L, 95_000L);
    // Windows of 8 s closed by the final watermark: at least one, 28 results each (KS and PSI on 10
    // numeric features and the score, chi-square and PSI on 3 categorical ones).
    assertThat(o.get("expected").asInt()).isGreaterThanOrEqualTo(28).matches(n -> n % 28 == 0, "a multiple of 28");
    assertThat(o.get("results").asInt()).isEqualTo(o.get("expected").asInt());
    assertThat(o.get("duplicates").asInt()).isZero();
    assertThat(o.get("missing").asInt()).isZero();
    assertThat(o.get("unexpected").asInt()).isZero();
    assertThat(o.get("differing").asInt()).isZero();
    assertThat(o.get("dead_letters").asInt()).isZero();
    assertThat(o.get("restarts").asInt()).isZero();

    List<JsonNode> samples = new ArrayList<>();
    json.get("samples").forEach(samples::add);
    assertThat(samples).extracting(s -> s.get("phase").asText()).contains("overload", "catch-up");
    // The overload, as the job's own metrics show it: its predictions source waited for the operators
    // after it, and its Kafka sources reported a backlog; the consumer group was more than a second
    // of input behind. pendingRecords is the consumer's lag at its last fetch, and a back-pressured
    // source fetches seldom: its maximum ranged from 4,420 to 12,113 over runs whose group lag was
    // about 50,000, so only its being seen is asserted.
    assertThat(samples).anySatisfy(s -> assertThat(s.get("back_pressured_ms_per_second").asDouble()).isPositive());
    assertThat(o.get("max_pending_records").asLong()).isPositive();
    assertThat(o.get("max_group_lag").asLong()).isGreaterThan(10_000);
    JsonNode last = samples.get(samples.size() - 1);
    assertThat(last.get("phase").asText()).isEqualTo("caught up");
    assertThat(last.get("pending_records").asLong()).isZero();
    assertThat(last.get("group_lag").asLong()).isZero();
    // The job got through less than it was given, and caught up after the traffic ended.
    assertThat(o.get("factor").asDouble()).isGreaterThan(1.0);
    assertThat(o.get("catch_up_seconds").asDouble()).isPositive();
    assertThat(run.out()).startsWith("| s | phase | predictions acknowledged | pendingRecords |").contains("recovery=");
  }
}
