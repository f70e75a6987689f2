package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small run of {@code driftline calibrate} (the full one writes STATISTICS.md outside the test
 * suite): the corrections hold the family-wise rate near alpha, uncorrected tests do not, the
 * histogram path costs KS little, and the same seed gives the same tables.
 */
class CalibrateCommandTest {

  @Test
  void smallRunMeasuresFamilyWiseRateAndHistogramPathAndRepeatsItself(@TempDir Path dir) throws Exception {
    String[] args = {"calibrate", "--windows", "200", "--power-windows", "30", "--sections", "family,sketch",
        "--out", dir.resolve("a.json").toString(), "--markdown", dir.resolve("STATISTICS.md").toString()};
    CliRun first = CliRun.of(args);
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("## Family-wise false alarms across features", "| bonferroni | 20 | 5000 | 500 |");

    JsonNode json = Json.mapper().readTree(dir.resolve("a.json").toFile());
    for (JsonNode row : json.get("family_wise")) {
      long windows = row.get("windows").asLong();
      assertThat(windows).isEqualTo(200);
      if (row.get("method").asText().equals("none")) {
        // 20 independent tests at 0.05: 1 - 0.95^20 = 0.64 of windows have a flag.
        assertThat(row.get("rate").asDouble()).isBetween(0.5, 0.8);
      } else {
        // Bonferroni and BH keep it at about alpha = 0.05; above 0.1 in 200 windows would be a
        // broken correction (chance gives that about once in 2,000 runs).
        assertThat(row.get("rate").asDouble()).as(row.toString()).isLessThan(0.1);
      }
    }
    assertThat(json.get("sketch_path")).hasSize(12);
    for (JsonNode row : json.get("sketch_path")) {
      assertThat(row.get("lost").asDouble()).as(row.toString()).isLessThanOrEqualTo(0.05);
      if (row.get("shift_sd").asDouble() == 0.1 && row.get("window_size").asInt() == 5000) {
        assertThat(row.get("product_rate").asDouble()).isGreaterThan(0.9);
      }
    }
    String page = Files.readString(dir.resolve("STATISTICS.md"));
    assertThat(page).startsWith("# Statistics: false alarms, power and delay, measured")
        .contains("## What the tables say", "- **Family-wise, bonferroni**: 20 features, windows of 500:");

    args[args.length - 3] = dir.resolve("b.json").toString();
    CliRun second = CliRun.of(args);
    assertThat(second.exitCode()).isZero();
    ObjectNode a = (ObjectNode) json;
    ObjectNode b = (ObjectNode) Json.mapper().readTree(dir.resolve("b.json").toFile());
    a.remove("seconds");
    b.remove("seconds");
    assertThat(b).isEqualTo(a);
  }

  @Test
  void badSectionIsAOneLineError() {
    CliRun run = CliRun.of("calibrate", "--sections", "false-alarms,everything");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--sections: expected false-alarms, family, power, sketch or detectors, got \"everything\"");
  }
}
