package dev.driftline.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class ReferenceProfilesTest {
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

    ReferenceProfile p = ProfileBuilder.build(SPEC, t, Instant.parse("2026-02-01T10:15:30.5Z"));

    FeatureProfile tenure = p.features().get("tenure");
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

    ReferenceProfile p = ProfileBuilder.build(SPEC, t, Instant.EPOCH);

    assertThat(p.calibration().method()).isEqualTo("isotonic");
    assertThat(p.calibration().rows()).isEqualTo(5);
    assertThat(p.calibration().positives()).isEqualTo(3);
    assertThat(p.calibration().x()).containsExactly(0.1, 0.2, 0.3, 0.9);
    assertThat(p.calibration().y()).containsExactly(0.0, 0.0, 1.0, 1.0);
    assertThat(ReferenceProfiles.noEstimationReason(p, SPEC)).isNull();
    Path file = dir.resolve("calibrated.json");
    ReferenceProfiles.write(p, file);
    assertThat(ReferenceProfiles.read(file).calibration().y()).containsExactly(0.0, 0.0, 1.0, 1.0);

    MonitorSpec platt = MonitorSpecParser.parse("m.yaml", "model_id: churn\ntask: binary_classification\n"
        + "features: [{name: tenure, type: numeric}, {name: plan, type: categorical}]\n"
        + "reference: {source: previous_window}\nwindow: {size: 1h}\nperformance_estimation: {calibration: platt}");
    assertThat(ProfileBuilder.build(platt, t, Instant.EPOCH).calibration().slope()).isPositive();
  }

  @Test
  void profileWithoutCalibrationStillLoadsAndSaysWhyNothingIsEstimated() throws IOException {
    ReferenceProfile p = ProfileBuilder.build(SPEC, table("tenure,plan,score", "1,a,0.2", "3,b,0.4"), Instant.EPOCH);
    Path file = dir.resolve("old.json");
    ReferenceProfiles.write(p, file);
    assertThat(Files.readString(file)).doesNotContain("calibration");

    ReferenceProfile back = ReferenceProfiles.read(file);

    assertThat(back.calibration()).isNull();
    assertThat(ReferenceProfiles.noEstimationReason(back, SPEC)).isEqualTo("model churn: no estimated performance "
        + "before labels: profile " + p.profileId() + " has no calibration (build it with `driftline baseline build` "
        + "from training data with the score and label columns)");
  }

  @Test
  void rejectsADamagedCalibrationWithOneLine() throws IOException {
    ReferenceProfile p = ProfileBuilder.build(SPEC, table("tenure,plan,score,label", "1,a,0.2,0", "3,b,0.4,1"), Instant.EPOCH);
    Path file = dir.resolve("damaged.json");
    ReferenceProfiles.write(p, file);
    Files.writeString(file, Files.readString(file).replace("\"isotonic\"", "\"spline\""));
    assertThatThrownBy(() -> ReferenceProfiles.read(file))
        .hasMessage(file + ": calibration: method: expected isotonic or platt, got \"spline\"");
  }

  @Test
  void roundTripsThroughJson() throws IOException {
    ReferenceProfile p = ProfileBuilder.build(SPEC, table("tenure,plan", "1,a", "3,b", "2,a"), Instant.EPOCH);
    Path file = dir.resolve("profile.json");

    ReferenceProfiles.write(p, file);
    ReferenceProfile back = ReferenceProfiles.read(file);

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
    assertThatThrownBy(() -> ProfileBuilder.build(SPEC, text, Instant.EPOCH))
        .isInstanceOf(InputException.class)
        .hasMessage(dir.resolve("t.csv") + ":3: column tenure: not a number: \"abc\"");

    CsvTable nan = table("tenure,plan", "NaN,a");
    assertThatThrownBy(() -> ProfileBuilder.build(SPEC, nan, Instant.EPOCH))
        .hasMessage(dir.resolve("t.csv") + ":2: column tenure: NaN is not a value; leave a missing value out");

    CsvTable noPlan = table("tenure,other", "1,a");
    assertThatThrownBy(() -> ProfileBuilder.build(SPEC, noPlan, Instant.EPOCH))
        .hasMessage(dir.resolve("t.csv") + ": missing column \"plan\"; the header has tenure,other");

    assertThatThrownBy(() -> table("tenure,plan", "1,a", "1,a,extra"))
        .isInstanceOf(InputException.class)
        .hasMessage(dir.resolve("t.csv") + ":3: expected 2 columns as in the header, got 3");
  }

  @Test
  void rejectsAFileThatIsNotAProfile() throws IOException {
    Path file = dir.resolve("x.json");
    Files.writeString(file, "{\"format\": \"something-else\", \"features\": {}}");
    assertThatThrownBy(() -> ReferenceProfiles.read(file))
        .isInstanceOf(InputException.class)
        .hasMessage(file + ": not a Driftline profile: expected format driftline-profile/1, got something-else");
  }
}
