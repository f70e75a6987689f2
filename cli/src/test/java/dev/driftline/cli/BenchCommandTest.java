package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftline.services.KafkaExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** `driftline bench` end to end with tiny numbers on the real broker: every run reads all its input. */
@ExtendWith(KafkaExtension.class)
class BenchCommandTest {
  @TempDir Path dir;

  @Test
  void everyRunReadsEveryPredictionAndReportsItsMeasurements() throws Exception {
    Path out = dir.resolve("bench.json");
    CliRun run = CliRun.of("bench", "--predictions", "4000", "--per-window", "1000", "--features", "3",
        "--categorical", "1", "--checkpoint-interval", "1s", "--dir", dir.toString(), "--out", out.toString(),
        "--kafka", KafkaExtension.broker().bootstrapServers());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toFile());
    List<String> names = new ArrayList<>();
    for (JsonNode r : json.get("runs")) {
      String name = r.get("name").asText();
      names.add(name);
      assertThat(r.get("records").asLong()).as(name).isEqualTo(4000);
      assertThat(r.get("records_per_s").asDouble()).as(name).isPositive();
      assertThat(r.get("ratio_to_pass_through").isNumber()).as(name).isTrue();
      assertThat(r.get("checkpoint_bytes").asLong()).as(name).isPositive();
      assertThat(r.get("peak_heap_bytes").asLong()).as(name).isPositive();
      assertThat(r.has("state_bytes_per_key")).as(name).isTrue();
      // 4 windows of 1000: the first three close before the end of input. With 10x per window there is one.
      boolean windowed = Set.of("drift", "drift+labels", "naive", "drift+labels@p1").contains(name);
      assertThat(r.get("latency_ms_p50").isNumber()).as(name).isEqualTo(windowed);
      assertThat(r.get("latency_ms_p99").isNumber()).as(name).isEqualTo(windowed);
      if (windowed) {
        assertThat(r.get("latency_ms_p99").asLong()).as(name).isGreaterThanOrEqualTo(r.get("latency_ms_p50").asLong());
      }
    }
    assertThat(names).containsExactly("pass-through", "drift", "drift+labels", "features", "naive",
        "drift+labels@10x-window", "drift+labels@p1");
    assertThat(json.get("window_growth_ratio").asDouble()).isPositive();
    assertThat(json.get("scaling_ratio_p2_p1").asDouble()).isPositive();
    assertThat(json.get("machine").get("cores").asInt()).isPositive();
    assertThat(json.get("settings").get("predictions").asLong()).isEqualTo(4000);
    assertThat(run.out()).startsWith("| run | records |").contains("| naive | 4000 |", "window growth", "scaling");
  }
}
