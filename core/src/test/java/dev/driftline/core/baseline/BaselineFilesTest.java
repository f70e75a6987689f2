package dev.driftline.core.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.estimation.ScoreCalibration;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.ChurnSpec;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineFilesTest {
  private static final MonitorSpec SPEC = ChurnSpec.parse("window: {size: 1h}");

  @TempDir Path dir;

  private CsvTable table(String... lines) throws IOException {
    Path file = dir.resolve("t.csv");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return CsvTable.read(file);
  }

  @Test
  void profilesValuesCountsMissingAndBins() throws IOException {
    CsvTable t = table("tenure,plan,score,label", "1,basic,0.1,0", "2,basic,0.2,0", ",pro,0.3,1",
        "4,,0.4,1", "5,\"pro\",0.9,1");

    BaselineFile p = BaselineBuilder.build(SPEC, t, Instant.parse("2026-02-01T10:15:30.5Z"));

    FeatureBaseline tenure = p.features().get("tenure");
    assertThat(tenure.count()).isEqualTo(4);
    assertThat(tenure.missing()).isEqualTo(1);
    assertThat(tenure.numeric().values()).containsExactly(1, 2, 4, 5);
    assertThat(tenure.numeric().mean()).isEqualTo(3.0);
    assertThat(tenure.numeric().std()).isEqualTo(Math.sqrt(10.0 / 3));
    assertThat(tenure.numeric().buckets().n()).isEqualTo(4);
    NumericSummary.Bins bins = tenure.numeric().binsFor(10);
    // numpy: np.unique(np.quantile([1,2,4,5], np.arange(1,10)/10)) -> 9 distinct interior edges
    assertThat(bins.edges()).hasSize(9);
    assertThat(bins.counts()).hasSize(10);
    assertThat(java.util.Arrays.stream(bins.counts()).sum()).isEqualTo(4);
    assertThat(p.features().get("plan").categories()).containsEntry("basic", 2L).containsEntry("pro", 2L).hasSize(2);
    assertThat(p.features().get("plan").missing()).isEqualTo(1);
    assertThat(p.score().count()).isEqualTo(5);
    assertThat(p.label().categories()).containsEntry("0", 2L).containsEntry("1", 3L);
    assertThat(p.createdAt()).isEqualTo("2026-02-01T10:15:30Z");
    assertThat(p.specHash()).isEqualTo(SPEC.specHash());
    assertThat(p.profileId()).isEqualTo("churn@" + SPEC.specHash().substring(0, 12) + "@2026-02-01T10:15:30Z");
  }

  /**
   * Scores 0.1 0.2 0.3 0.4 0.9 with labels 0 0 1 1 1 (a row without a label is left out): already
   * ascending, so the isotonic fit is the labels themselves, kept at the ends of each run.
   */
  @Test
  void fitsTheSpecsCalibrationOnRowsWithScoreAndLabel() throws IOException {
    CsvTable t = table("tenure,plan,score,label", "1,basic,0.1,0", "2,basic,0.2,false", ",pro,0.3,1",
        "4,,0.4,true", "5,\"pro\",0.9,1", "6,pro,0.95,");

    BaselineFile p = BaselineBuilder.build(SPEC, t, Instant.EPOCH);

    assertThat(p.calibration().method()).isEqualTo("isotonic");
    assertThat(p.calibration().rows()).isEqualTo(5);
    assertThat(p.calibration().positives()).isEqualTo(3);
    assertThat(p.calibration().x()).containsExactly(0.1, 0.2, 0.3, 0.9);
    assertThat(p.calibration().y()).containsExactly(0.0, 0.0, 1.0, 1.0);
    assertThat(BaselineFiles.noEstimationReason(p, SPEC)).isNull();
    Path file = dir.resolve("calibrated.json");
    BaselineFiles.write(p, file);
    assertThat(BaselineFiles.read(file).calibration().y()).containsExactly(0.0, 0.0, 1.0, 1.0);

    MonitorSpec platt = MonitorSpecParser.parse("m.yaml", "model_id: churn\ntask: binary_classification\n"
        + "features: [{name: tenure, type: numeric}, {name: plan, type: categorical}]\n"
        + "reference: {source: previous_window}\nwindow: {size: 1h}\nperformance_estimation: {calibration: platt}");
    assertThat(BaselineBuilder.build(platt, t, Instant.EPOCH).calibration().slope()).isPositive();
  }

  private static final MonitorSpec FRUIT = MonitorSpecParser.parse("fruit.yaml", String.join("\n",
      "model_id: fruit", "task: multiclass_classification", "classes: [apple, banana, cherry]",
      "features: [{name: weight, type: numeric}]", "reference: {source: previous_window}", "window: {size: 1h}"));

  /**
   * Each class's probability calibrated one-vs-rest, in the order of the classes, on the rows with a
   * label and every class's probability (the row without a label is left out). Apple's scores
   * 0.5 0.125 0.125 0.25 with apple labels 1 0 0 0: ascending (0.125→0, 0.25→0, 0.5→1), so the
   * isotonic fit is the labels themselves at the ends of each run.
   */
  @Test
  void fitsOneCalibrationPerClassOfAMulticlassModel() throws IOException {
    CsvTable t = table("weight,scores.apple,scores.banana,scores.cherry,label",
        "1,0.5,0.25,0.25,apple", "2,0.125,0.75,0.125,banana", "3,0.125,0.125,0.75,cherry", "4,0.25,0.25,0.5,banana",
        "5,0.5,0.25,0.25,");

    BaselineFile p = BaselineBuilder.build(FRUIT, t, Instant.EPOCH);

    assertThat(p.calibration()).isNull();
    assertThat(p.classCalibrations()).hasSize(3);
    assertThat(p.classCalibrations()).extracting(ScoreCalibration::rows).containsExactly(4L, 4L, 4L);
    assertThat(p.classCalibrations()).extracting(ScoreCalibration::positives).containsExactly(1L, 2L, 1L);
    assertThat(p.classCalibrations().get(0).x()).containsExactly(0.125, 0.25, 0.5);
    assertThat(p.classCalibrations().get(0).y()).containsExactly(0.0, 0.0, 1.0);
    assertThat(BaselineFiles.noEstimationReason(p, FRUIT)).isNull();
    Path file = dir.resolve("fruit.json");
    BaselineFiles.write(p, file);
    assertThat(Files.readString(file)).contains("\"class_calibrations\"");
    BaselineFile back = BaselineFiles.read(file);
    assertThat(back.classCalibrations().get(0).y()).containsExactly(0.0, 0.0, 1.0);
    assertThat(Baseline.fromProfile(back, FRUIT).classCalibrations()).hasSize(3);

    // Without the class columns: no calibrations, and the reason says which columns.
    BaselineFile plain = BaselineBuilder.build(FRUIT, table("weight,label", "1,apple", "2,banana"), Instant.EPOCH);
    assertThat(plain.classCalibrations()).isNull();
    assertThat(BaselineFiles.noEstimationReason(plain, FRUIT)).isEqualTo("model fruit: no estimated performance "
        + "before labels: profile " + plain.profileId() + " has no class calibrations (build it with `driftline "
        + "baseline build` from training data with the label column and a scores.<class> column per class)");
    assertThatThrownBy(() -> BaselineBuilder.build(FRUIT, table("weight,scores.apple,scores.banana,scores.cherry,label",
        "1,0.6,0.3,0.1,apple", "2,0.2,0.7,0.1,banana"), Instant.EPOCH))
        .hasMessage(dir.resolve("t.csv") + ": column label: no row labelled cherry; expected every class labelled to "
            + "calibrate its probability");
    assertThatThrownBy(() -> BaselineBuilder.build(FRUIT, table("weight,scores.apple,scores.banana,scores.cherry,label",
        "1,0.6,0.3,0.1,date"), Instant.EPOCH))
        .hasMessage(dir.resolve("t.csv") + ":2: column label: expected one of the classes apple|banana|cherry, got \"date\"");
  }

  @Test
  void binaryProfileHasNoClassCalibrations() throws IOException {
    BaselineFile p = BaselineBuilder.build(SPEC, table("tenure,plan,score,label", "1,a,0.2,0", "3,b,0.4,1"), Instant.EPOCH);
    Path file = dir.resolve("binary.json");
    BaselineFiles.write(p, file);
    assertThat(p.classCalibrations()).isNull();
    assertThat(Files.readString(file)).doesNotContain("class_calibrations");
  }

  @Test
  void profileWithoutCalibrationStillLoadsAndSaysWhyNothingIsEstimated() throws IOException {
    BaselineFile p = BaselineBuilder.build(SPEC, table("tenure,plan,score", "1,a,0.2", "3,b,0.4"), Instant.EPOCH);
    Path file = dir.resolve("old.json");
    BaselineFiles.write(p, file);
    assertThat(Files.readString(file)).doesNotContain("calibration");

    BaselineFile back = BaselineFiles.read(file);

    assertThat(back.calibration()).isNull();
    assertThat(BaselineFiles.noEstimationReason(back, SPEC)).isEqualTo("model churn: no estimated performance "
        + "before labels: profile " + p.profileId() + " has no calibration (build it with `driftline baseline build` "
        + "from training data with the score and label columns)");
  }

  @Test
  void rejectsADamagedCalibrationWithOneLine() throws IOException {
    BaselineFile p = BaselineBuilder.build(SPEC, table("tenure,plan,score,label", "1,a,0.2,0", "3,b,0.4,1"), Instant.EPOCH);
    Path file = dir.resolve("damaged.json");
    BaselineFiles.write(p, file);
    Files.writeString(file, Files.readString(file).replace("\"isotonic\"", "\"spline\""));
    assertThatThrownBy(() -> BaselineFiles.read(file))
        .hasMessage(file + ": calibration: method: expected isotonic or platt, got \"spline\"");
  }

  @Test
  void roundTripsThroughJson() throws IOException {
    BaselineFile p = BaselineBuilder.build(SPEC, table("tenure,plan", "1,a", "3,b", "2,a"), Instant.EPOCH);
    Path file = dir.resolve("profile.json");

    BaselineFiles.write(p, file);
    BaselineFile back = BaselineFiles.read(file);

    assertThat(back.profileId()).isEqualTo(p.profileId());
    assertThat(back.features().get("tenure").numeric().values()).containsExactly(1, 2, 3);
    assertThat(back.features().get("tenure").numeric().histogram())
        .isEqualTo(p.features().get("tenure").numeric().histogram());
    assertThat(back.features().get("plan").categories()).isEqualTo(p.features().get("plan").categories());
    assertThat(Files.readString(file)).contains("\"profile_id\"", "\"spec_hash\"", "\"format\" : \"driftline-profile/1\"");
  }

  @Test
  void rejectsBadCellsAndMissingColumnsWithTheirPlace() throws IOException {
    CsvTable text = table("tenure,plan", "1,a", "abc,b");
    assertThatThrownBy(() -> BaselineBuilder.build(SPEC, text, Instant.EPOCH))
        .isInstanceOf(InputException.class)
        .hasMessage(dir.resolve("t.csv") + ":3: column tenure: not a number: \"abc\"");

    CsvTable nan = table("tenure,plan", "NaN,a");
    assertThatThrownBy(() -> BaselineBuilder.build(SPEC, nan, Instant.EPOCH))
        .hasMessage(dir.resolve("t.csv") + ":2: column tenure: NaN is not a value; leave a missing value out");

    CsvTable noPlan = table("tenure,other", "1,a");
    assertThatThrownBy(() -> BaselineBuilder.build(SPEC, noPlan, Instant.EPOCH))
        .hasMessage(dir.resolve("t.csv") + ": missing column \"plan\"; the header has tenure,other");

    assertThatThrownBy(() -> table("tenure,plan", "1,a", "1,a,extra"))
        .isInstanceOf(InputException.class)
        .hasMessage(dir.resolve("t.csv") + ":3: expected 2 columns as in the header, got 3");
  }

  @Test
  void rejectsAFileThatIsNotAProfile() throws IOException {
    Path file = dir.resolve("x.json");
    Files.writeString(file, "{\"format\": \"something-else\", \"features\": {}}");
    assertThatThrownBy(() -> BaselineFiles.read(file))
        .isInstanceOf(InputException.class)
        .hasMessage(file + ": not a Driftline profile: expected format driftline-profile/1, got something-else");
  }
}
