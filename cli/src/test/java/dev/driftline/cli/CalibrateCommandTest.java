package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code driftline calibrate} command: the same seed gives the same tables, and a bad option is
 * a one-line error. What the tables must say is {@code calibrate.CalibrationClaimsTest}.
 */
class CalibrateCommandTest {

  @Test
  void sameSeedGivesTheSameTables(@TempDir Path dir) throws Exception {
    String[] args = {"calibrate", "--windows", "40", "--power-windows", "10", "--sections", "family,sketch,data-quality,estimation",
        "--out", dir.resolve("a.json").toString(), "--markdown", dir.resolve("STATISTICS.md").toString()};
    CliRun first = CliRun.of(args);
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("## Family-wise false alarms across features", "| bonferroni | 20 | 5000 | 500 | ");
    String page = Files.readString(dir.resolve("STATISTICS.md"));
    assertThat(page).startsWith("# Statistics: false alarms, power and delay, measured")
        .contains("## What the tables say", "- **Family-wise, bonferroni**: 20 features, windows of 500:");

    args[args.length - 3] = dir.resolve("b.json").toString();
    CliRun second = CliRun.of(args);
    assertThat(second.exitCode()).isZero();
    ObjectNode a = (ObjectNode) Json.mapper().readTree(dir.resolve("a.json").toFile());
    ObjectNode b = (ObjectNode) Json.mapper().readTree(dir.resolve("b.json").toFile());
    assertThat(a.get("family_wise")).hasSize(6);
    assertThat(a.get("sketch_path")).hasSize(12);
    assertThat(a.get("data_quality")).hasSize(24);
    assertThat(a.get("estimation")).hasSize(12);
    a.remove("seconds");
    b.remove("seconds");
    assertThat(b).isEqualTo(a);
  }

  @Test
  void badSectionIsAOneLineError() {
    CliRun run = CliRun.of("calibrate", "--sections", "false-alarms,everything");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--sections: expected one of false-alarms, family, power, sketch, detectors, pca, data-quality,"
        + " estimation, got \"everything\"");
  }
}
