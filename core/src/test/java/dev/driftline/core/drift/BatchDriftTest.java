package dev.driftline.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.stats.KolmogorovSmirnov;
import dev.driftline.core.stats.KsResult;
import dev.driftline.core.synth.CreditDefaultData;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchDriftTest {
  private static final Instant CREATED = Instant.parse("2026-02-01T00:00:00Z");
  @TempDir static Path dir;
  static MonitorSpec spec;
  static BaselineFile profile;

  @BeforeAll
  static void buildBaseline() throws IOException {
    spec = MonitorSpecParser.load(Path.of("../examples/credit-default/monitor.yaml"));
    profile = BaselineBuilder.build(spec, CsvTable.read(csv("training.csv", 7, CreditDefaultData.Shift.NONE, 8_000)), CREATED);
  }

  static Path csv(String name, long seed, CreditDefaultData.Shift shift, int rows) throws IOException {
    return CreditDefaultData.writeCsv(dir.resolve(name), seed, shift, rows);
  }

  @Test
  void flagsExactlyTheShiftedFeatures() throws IOException {
    DriftReport report = BatchDrift.run(spec, profile,
        CsvTable.read(csv("drifted.csv", 8, CreditDefaultData.Shift.INCOME_AND_PURPOSE, 2_000)));

    assertThat(drifted(report)).containsExactly("income", "loan_purpose");
    assertThat(report.featuresDrifted()).isEqualTo(2);
    assertThat(report.driftShare()).isCloseTo(2.0 / 12, within(1e-12));
    FeatureDrift incomeKs = find(report, "income", "ks");
    assertThat(incomeKs.method()).isEqualTo("exact");
    assertThat(incomeKs.adjustedPValue()).isLessThan(1e-20);
    assertThat(find(report, "loan_purpose", "chi2").adjustedPValue()).isLessThan(1e-20);
  }

  @Test
  void flagsNothingWhenTheDistributionIsUnchanged() throws IOException {
    DriftReport report = BatchDrift.run(spec, profile,
        CsvTable.read(csv("stable.csv", 9, CreditDefaultData.Shift.NONE, 2_000)));

    assertThat(drifted(report)).isEmpty();
    assertThat(report.results()).hasSize(8 * 3 + 4 * 3);
  }

  @Test
  void ksAgainstTheProfileEqualsKsAgainstTheTrainingValues() throws IOException {
    Path current = csv("current.csv", 10, CreditDefaultData.Shift.INCOME_AND_PURPOSE, 500);
    DriftReport report = BatchDrift.run(spec, profile, CsvTable.read(current));
    CsvTable training = CsvTable.read(dir.resolve("training.csv"));
    CsvTable cur = CsvTable.read(current);

    KsResult direct = KolmogorovSmirnov.twoSample(
        training.numbers(training.column("age")), cur.numbers(cur.column("age")));

    FeatureDrift age = find(report, "age", "ks");
    assertThat(age.statistic()).isEqualTo(direct.statistic());
    assertThat(age.pValue()).isEqualTo(direct.pValue());
    assertThat(age.nReference()).isEqualTo(8_000);
    assertThat(age.nCurrent()).isEqualTo(500);
  }

  @Test
  void usesTheHistogramWithItsErrorBoundWhenTheReferenceIsLarge() throws IOException {
    BaselineFile large = BaselineBuilder.build(spec,
        CsvTable.read(csv("large.csv", 11, CreditDefaultData.Shift.NONE, 30_000)), CREATED);
    assertThat(large.features().get("income").numeric().values()).isNull();

    DriftReport report = BatchDrift.run(spec, large,
        CsvTable.read(csv("drifted-large.csv", 12, CreditDefaultData.Shift.INCOME_AND_PURPOSE, 2_000)));

    FeatureDrift income = find(report, "income", "ks");
    assertThat(income.method()).isEqualTo("histogram");
    assertThat(income.errorBound()).isGreaterThan(0).isLessThan(0.05);
    assertThat(income.drift()).isTrue();
    assertThat(find(report, "age", "ks").drift()).isFalse();
    assertThat(find(report, "income", "wasserstein").method()).isEqualTo("histogram");
  }

  private static Set<String> drifted(DriftReport report) {
    Set<String> out = new TreeSet<>();
    report.results().stream().filter(FeatureDrift::drift).forEach(r -> out.add(r.feature()));
    return out;
  }

  private static FeatureDrift find(DriftReport report, String feature, String test) {
    return report.results().stream()
        .filter(r -> r.feature().equals(feature) && r.test().equals(test))
        .findFirst().orElseThrow();
  }
}
