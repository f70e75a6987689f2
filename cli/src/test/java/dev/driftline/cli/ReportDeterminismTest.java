package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftline.core.synth.CreditDefaultData;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same input, same output through the command: {@code driftline baseline build} and
 * {@code driftline report} in fresh JVMs give the same bytes, for a reference large enough to be
 * kept as a histogram (30,000 rows) and with {@code tests: auto}.
 */
class ReportDeterminismTest {
  private static final String AUTO_SPEC = "../examples/credit-default/monitor-auto.yaml";
  @TempDir Path dir;

  private Path csv(String name, long seed, CreditDefaultData.Shift shift, int rows) throws IOException {
    Path file = dir.resolve(name);
    try (Writer w = Files.newBufferedWriter(file)) {
      new CreditDefaultData(seed, shift).writeCsv(w, rows, 0L);
    }
    return file;
  }

  @Test
  void reportInTwoSeparateJvmsPrintsTheSameBytes() throws Exception {
    Path training = csv("training.csv", 1, CreditDefaultData.Shift.NONE, 30_000);
    Path current = csv("current.csv", 2, CreditDefaultData.Shift.INCOME_AND_PURPOSE, 6_000);
    Path profile = dir.resolve("profile.json");
    CliRun build = CliRun.of("baseline", "build", "--spec", AUTO_SPEC, "--input", training.toString(),
        "--out", profile.toString());
    assertThat(build.exitCode()).as(build.err()).isZero();

    String first = run("report", "--spec", AUTO_SPEC, "--baseline", profile.toString(),
        "--current", current.toString(), "--format", "json");
    String second = run("report", "--spec", AUTO_SPEC, "--baseline", profile.toString(),
        "--current", current.toString(), "--format", "json");
    assertThat(first).isNotEmpty().isEqualTo(second);

    JsonNode report = new ObjectMapper().readTree(first);
    JsonNode income = find(report, "income");
    assertThat(income.get("test").asText()).isEqualTo("wasserstein");
    assertThat(income.get("method").asText()).isEqualTo("histogram");
    assertThat(income.get("method_reason").asText()).isEqualTo("numeric, reference n=30000 > 1000: wasserstein");
    assertThat(find(report, "loan_purpose").get("method_reason").asText())
        .isEqualTo("categorical, reference n=30000 > 1000: jensen_shannon");
    assertThat(find(report, "loan_term").get("test").asText()).isEqualTo("chi2");
    assertThat(find(report, "loan_term").has("method_reason")).isFalse();
  }

  private static JsonNode find(JsonNode report, String feature) {
    for (JsonNode r : report.get("results")) {
      if (r.get("feature").asText().equals(feature)) {
        return r;
      }
    }
    throw new AssertionError("no result for " + feature);
  }

  /** {@code driftline <args>} in a new JVM; its standard output. */
  private static String run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), DriftlineCli.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }
}
