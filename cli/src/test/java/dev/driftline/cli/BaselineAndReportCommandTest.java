package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.synth.CreditDefaultData;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineAndReportCommandTest {
  private static final String SPEC = "../examples/credit-default/monitor.yaml";
  @TempDir Path dir;

  private Path csv(String name, long seed, CreditDefaultData.Shift shift, int rows) throws IOException {
    Path file = dir.resolve(name);
    try (Writer w = Files.newBufferedWriter(file)) {
      new CreditDefaultData(seed, shift).writeCsv(w, rows, 0L);
    }
    return file;
  }

  @Test
  void buildsABaselineThenReportsTheDriftedFeatures() throws IOException {
    Path training = csv("training.csv", 1, CreditDefaultData.Shift.NONE, 5_000);
    Path current = csv("current.csv", 2, CreditDefaultData.Shift.INCOME_AND_PURPOSE, 1_500);
    Path profile = dir.resolve("out/profile.json");

    CliRun build = CliRun.of("baseline", "build", "--spec", SPEC, "--input", training.toString(), "--out", profile.toString());
    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.out()).startsWith("wrote " + profile + ": profile credit-default@").contains("5000 rows, 12 features");
    assertThat(build.out()).containsPattern("calibration: isotonic on 5000 labelled rows \\(\\d+ positive\\): windows get estimated performance before labels");

    Path reportFile = dir.resolve("report.json");
    CliRun table = CliRun.of("report", "--spec", SPEC, "--baseline", profile.toString(),
        "--current", current.toString(), "--out", reportFile.toString());
    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out()).contains("2 of 12 features drifted (17%)").containsPattern("income +numeric +ks .* DRIFT");

    JsonNode report = new ObjectMapper().readTree(reportFile.toFile());
    assertThat(report.get("model_id").asText()).isEqualTo("credit-default");
    assertThat(report.get("rows").asInt()).isEqualTo(1_500);
    assertThat(report.get("features_drifted").asInt()).isEqualTo(2);
    assertThat(report.get("results")).hasSize(36);

    CliRun json = CliRun.of("report", "--spec", SPEC, "--baseline", profile.toString(),
        "--current", current.toString(), "--format", "json");
    assertThat(new ObjectMapper().readTree(json.out())).isEqualTo(report);
  }

  @Test
  void baselineBuildSuggestsConstraintsAndTheReportChecksThemApartFromDrift() throws IOException {
    Path training = csv("training.csv", 1, CreditDefaultData.Shift.NONE, 5_000);
    Path current = csv("current.csv", 2, CreditDefaultData.Shift.INCOME_AND_PURPOSE, 1_500);
    Path profile = dir.resolve("profile.json");
    Path spec = Files.writeString(dir.resolve("monitor.yaml"), Files.readString(Path.of(SPEC)) + "\ndata_quality: all\n");
    assertThat(CliRun.of("baseline", "build", "--spec", spec.toString(), "--input", training.toString(), "--out",
        profile.toString()).exitCode()).isZero();
    JsonNode income = new ObjectMapper().readTree(profile.toFile()).at("/features/income");
    assertThat(income.at("/constraints/min").asDouble()).isEqualTo(income.at("/numeric/min").asDouble());
    assertThat(income.at("/constraints/max").asDouble()).isEqualTo(income.at("/numeric/max").asDouble());
    assertThat(income.at("/constraints/missing_share").asDouble()).isZero();

    Path reportFile = dir.resolve("report.json");
    CliRun table = CliRun.of("report", "--spec", spec.toString(), "--baseline", profile.toString(),
        "--current", current.toString(), "--out", reportFile.toString());
    assertThat(table.exitCode()).as(table.err()).isZero();
    // The checks do not count as drifted features.
    assertThat(table.out()).contains("2 of 12 features drifted (17%)");
    JsonNode report = new ObjectMapper().readTree(reportFile.toFile());
    Map<String, Integer> byTest = new TreeMap<>();
    report.get("results").forEach(r -> byTest.merge(r.get("test").asText(), 1, Integer::sum));
    assertThat(byTest).containsEntry("missing_share", 12).containsEntry("out_of_range", 8)
        .containsEntry("unseen_categories", 4).containsEntry("wrong_type", 12);
    // out_of_range of income: a recount of the current values outside the training range.
    List<String> lines = Files.readAllLines(current);
    int column = List.of(lines.get(0).split(",")).indexOf("income");
    long outside = 0;
    long values = 0;
    for (String line : lines.subList(1, lines.size())) {
      String cell = line.split(",", -1)[column];
      if (!cell.isEmpty()) {
        double v = Double.parseDouble(cell);
        values++;
        outside += v < income.at("/numeric/min").asDouble() || v > income.at("/numeric/max").asDouble() ? 1 : 0;
      }
    }
    JsonNode range = null;
    for (JsonNode r : report.get("results")) {
      if (r.get("feature").asText().equals("income") && r.get("test").asText().equals("out_of_range")) {
        range = r;
      }
    }
    assertThat(range.get("n_current").asLong()).isEqualTo(values);
    assertThat(range.get("statistic").asDouble()).isEqualTo((double) outside / values);
    assertThat(table.out()).containsPattern("income +numeric +wrong_type +0\\.000000 .* -");
  }

  /** The ticket router's training data with a probability column per queue: one calibration per queue. */
  @Test
  void aMulticlassBaselineCalibratesEachClass() throws IOException {
    List<String> queues = List.of("billing", "technical", "account", "other");
    StringBuilder csv = new StringBuilder("subject_length,body_length,attachments,customer_tenure_days,plan,language,"
        + "scores.billing,scores.technical,scores.account,scores.other,label\n");
    java.util.Random random = new java.util.Random(4);
    for (int i = 0; i < 400; i++) {
      int queue = i % 4;
      double[] p = {0.125, 0.125, 0.125, 0.125};
      p[queue] += 0.5 * random.nextInt(2);
      p[(queue + 1) % 4] += p[queue] == 0.125 ? 0.5 : 0;
      csv.append(random.nextInt(80)).append(',').append(random.nextInt(2000)).append(",0,").append(random.nextInt(900))
          .append(",pro,en,").append(p[0]).append(',').append(p[1]).append(',').append(p[2]).append(',').append(p[3])
          .append(',').append(queues.get(queue)).append('\n');
    }
    Path training = Files.writeString(dir.resolve("tickets.csv"), csv);
    Path profile = dir.resolve("tickets-profile.json");

    CliRun build = CliRun.of("baseline", "build", "--spec", "../examples/ticket-routing/monitor.yaml", "--input",
        training.toString(), "--out", profile.toString());

    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.out()).contains("class calibrations: isotonic on 400 labelled rows: windows get estimated accuracy "
        + "and macro F1 before labels");
    assertThat(BaselineFiles.read(profile).classCalibrations()).hasSize(4)
        .allSatisfy(c -> assertThat(c.positives()).isEqualTo(100));
  }

  @Test
  void aWrongSpecIsOneLineAndExitTwo() throws IOException {
    Path spec = Files.writeString(dir.resolve("bad.yaml"),
        Files.readString(Path.of(SPEC)).replace("{name: loan_term, type: categorical}", "{name: loan_term, type: float}"));

    CliRun r = CliRun.of("spec", "validate", "--spec", spec.toString());

    StatsCommandTest.assertError(r, spec + ": features[8].type: expected one of numeric|categorical, got \"float\"");
  }

  @Test
  void theShippedSpecValidates() {
    CliRun r = CliRun.of("spec", "validate", "--spec", SPEC);
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("valid. model credit-default (binary_classification), 12 features (8 numeric, 4 categorical)");
  }

  @Test
  void aTrainingFileWithABadCellIsOneLineAndExitTwo() throws IOException {
    Path training = csv("training.csv", 1, CreditDefaultData.Shift.NONE, 20);
    String[] lines = Files.readString(training).split("\n");
    lines[5] = lines[5].replaceFirst(",retail,[0-9]+,|,premium,[0-9]+,", ",retail,forty,");
    Files.writeString(training, String.join("\n", lines) + "\n");

    CliRun r = CliRun.of("baseline", "build", "--spec", SPEC, "--input", training.toString(),
        "--out", dir.resolve("p.json").toString());

    StatsCommandTest.assertError(r, training + ":6: column age: not a number: \"forty\"");
    assertThat(dir.resolve("p.json")).doesNotExist();
  }

  @Test
  void aProfileForAnotherModelIsRejected() throws IOException {
    Path profile = Files.writeString(dir.resolve("p.json"),
        "{\"format\":\"driftline-profile/1\",\"profile_id\":\"x\",\"model_id\":\"other\",\"spec_hash\":\"h\","
            + "\"created_at\":\"t\",\"source\":\"s\",\"rows\":1,\"features\":{}}");
    Path current = csv("current.csv", 2, CreditDefaultData.Shift.NONE, 10);

    CliRun r = CliRun.of("report", "--spec", SPEC, "--baseline", profile.toString(), "--current", current.toString());

    StatsCommandTest.assertError(r, profile + ": profile is for model other, spec is for model credit-default");
  }

  @Test
  void aBaselineBuiltForATriggerRecordsItsTriggerId() throws IOException {
    Path training = csv("training.csv", 1, CreditDefaultData.Shift.NONE, 300);
    Path profile = dir.resolve("p.json");

    CliRun r = CliRun.of("baseline", "build", "--spec", SPEC, "--input", training.toString(), "--out", profile.toString(),
        "--trigger-id", "trg-0123456789abcdef0123");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(new ObjectMapper().readTree(profile.toFile()).get("trigger_id").asText()).isEqualTo("trg-0123456789abcdef0123");
    assertThat(BaselineFiles.read(profile).triggerId()).isEqualTo("trg-0123456789abcdef0123");
  }

  @Test
  void aPublishTargetThatIsNotAKafkaTopicIsOneLineAndExitTwoBeforeAnythingIsWritten() throws IOException {
    Path training = csv("training.csv", 1, CreditDefaultData.Shift.NONE, 20);

    CliRun r = CliRun.of("baseline", "build", "--spec", SPEC, "--input", training.toString(),
        "--out", dir.resolve("p.json").toString(), "--publish", "localhost:9092/baselines");

    StatsCommandTest.assertError(r, "--publish: expected kafka://HOST:PORT[,HOST:PORT...]/TOPIC, got \"localhost:9092/baselines\"");
    assertThat(dir.resolve("p.json")).doesNotExist();
    assertThat(BaselineCommand.Destination.parse("kafka://a:9092,b:9093/baselines"))
        .isEqualTo(new BaselineCommand.Destination("a:9092,b:9093", "baselines"));
  }

  @Test
  void theSpecAsJsonHasWhatATrainerNeeds() throws IOException {
    CliRun r = CliRun.of("spec", "validate", "--spec", SPEC, "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode spec = new ObjectMapper().readTree(r.out());
    assertThat(spec.get("model_id").asText()).isEqualTo("credit-default");
    assertThat(spec.get("task").asText()).isEqualTo("binary_classification");
    assertThat(spec.get("fields").get("score").asText()).isEqualTo("score");
    assertThat(spec.get("fields").get("label").asText()).isEqualTo("label");
    assertThat(spec.get("features")).hasSize(12);
    assertThat(spec.get("features").get(1).toString()).isEqualTo("{\"name\":\"income\",\"type\":\"numeric\"}");
    assertThat(spec.get("features").get(8).toString()).isEqualTo("{\"name\":\"loan_term\",\"type\":\"categorical\"}");
  }
}
