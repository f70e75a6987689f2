package dev.driftline.cli.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * STATISTICS.md is what the page generator writes for the numbers in its own tables: its prose
 * cannot say something its tables do not.
 */
class StatisticsPageTest {

  @Test
  void committedPageIsWhatTheGeneratorWritesForItsTables() throws Exception {
    PageReader.Page page = PageReader.committed();
    assertThat(page.tables().falseAlarms()).hasSize(DriftTestCalibration.numericRegimes().size() * DriftTestCalibration.numericTests().size()
        + DriftTestCalibration.categoricalRegimes().stream().mapToInt(r -> DriftTestCalibration.categoricalTests(r.categories()).size()).sum());
    assertThat(page.tables().familyWise()).hasSize(6);
    // Six numeric changes and four categorical ones (5 and 20 categories), each at three window sizes.
    assertThat(page.tables().power()).hasSize(6 * 3 * DriftTestCalibration.numericTests().size() + 4 * 3 * DriftTestCalibration.categoricalTests(5).size());
    assertThat(page.tables().sketchPath()).hasSize(12);
    assertThat(page.tables().ert()).hasSize(4);
    assertThat(page.tables().online()).hasSize(6);
    assertThat(page.tables().pca()).hasSize(6);
    // Per feature and window size: missing_share and its feature's share check without drift, missing_share at two risen shares.
    assertThat(page.tables().dataQuality()).hasSize(2 * 3 * (2 + 2));
    // Accuracy and F1 (binary) or macro F1 for 2, 3 and 10 classes in windows of 100 and 1,000.
    assertThat(page.tables().estimation()).hasSize(3 * 2 * 2);
    // Every line of a section's prose is prose: none starts as a table row would.
    for (String intro : java.util.List.of(DataQualityCalibration.intro(), EstimationCalibration.intro(), PcaCalibration.intro())) {
      assertThat(intro.lines()).noneMatch(line -> line.startsWith("|"));
    }
    String rendered = StatisticsPage.page(page.tables(), page.run());
    // On a difference, target/STATISTICS.rendered.md is the committed numbers with the generator's text.
    java.nio.file.Files.writeString(java.nio.file.Path.of("target", "STATISTICS.rendered.md"), rendered);
    assertThat(rendered).isEqualTo(page.text());
  }

  @Test
  void proseFollowsTheTables() throws Exception {
    PageReader.Page page = PageReader.committed();
    CalibrateCommand.CalibrationTables t = page.tables();
    java.util.List<Rows.FalseAlarm> changed = new java.util.ArrayList<>(t.falseAlarms());
    Rows.FalseAlarm worst = changed.stream().filter(r -> r.test().equals("chi2 min_expected=0")
        && r.regime().equals("50 categories, reference 50000, window 100")).findFirst().orElseThrow();
    Rate ok = new Rate(40, worst.windows());
    changed.set(changed.indexOf(worst), new Rows.FalseAlarm(worst.regime(), worst.feature(), worst.referenceSize(),
        worst.reference(), worst.windowSize(), worst.window(), worst.test(), true, worst.threshold(), ok.trials(), ok.hits(),
        ok.value(), ok.low(), ok.high(), "ok", worst.median(), worst.p95(), worst.p99()));
    String findings = StatisticsPage.findings(new CalibrateCommand.CalibrationTables(changed, t.familyWise(), t.power(),
        t.sketchPath(), t.ert(), t.online(), t.pca(), t.dataQuality(), t.estimation()));
    assertThat(findings).contains("- **p-value tests**: 31 of 31 regime and test rows are `ok`; the highest rate is 0.061")
        .doesNotContain("above alpha");
  }
}
