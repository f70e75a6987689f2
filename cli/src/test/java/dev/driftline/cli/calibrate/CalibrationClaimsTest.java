package dev.driftline.cli.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.cli.DriftlineCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small {@code driftline calibrate} run of every section, with the committed page's seed, held to
 * what STATISTICS.md claims for each cell it runs.
 *
 * <p>A run of {@value #WINDOWS} windows per cell cannot resolve a rate as finely as the page's
 * 1,000, so every bound on a rate is the page's claim {@code p} plus a binomial tolerance
 * {@code 3 · sqrt(p (1 − p) / n)} for the {@code n} windows this run has; comparisons with a rate the
 * page measured (power, the fixed thresholds) allow {@code 3 · sqrt(p (1 − p) (1/n + 1/N))} with
 * {@code p} pooled over both runs. No other slack.
 */
class CalibrationClaimsTest {
  static final int WINDOWS = 100;
  static final int POWER_WINDOWS = 30;
  /** What the page claims for a p-value test marked {@code ok}, and for a distance at its default threshold. */
  static final double ALPHA = 0.05;

  @Test
  void smallRunOfEverySectionHoldsThePagesClaims(@TempDir Path dir) throws Exception {
    PageReader.Page page = PageReader.committed();
    Path markdown = dir.resolve("STATISTICS.md");
    StringWriter err = new StringWriter();
    var cli = DriftlineCli.newCommandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("calibrate", "--windows", String.valueOf(WINDOWS), "--power-windows", String.valueOf(POWER_WINDOWS),
        "--seed", String.valueOf(page.run().seed()), "--out", dir.resolve("small.json").toString(),
        "--markdown", markdown.toString());
    assertThat(code).as(err.toString()).isZero();
    CalibrateCommand.CalibrationTables small = PageReader.read(Files.readString(markdown)).tables();
    CalibrateCommand.CalibrationTables claimed = page.tables();

    // Every row of every section of the page is run.
    assertThat(small.falseAlarms()).hasSameSizeAs(claimed.falseAlarms());
    assertThat(small.familyWise()).hasSameSizeAs(claimed.familyWise());
    assertThat(small.power()).hasSameSizeAs(claimed.power());
    assertThat(small.sketchPath()).hasSameSizeAs(claimed.sketchPath());
    assertThat(small.ert()).hasSameSizeAs(claimed.ert());
    assertThat(small.online()).hasSameSizeAs(claimed.online());
    assertThat(small.pca()).hasSameSizeAs(claimed.pca());
    assertThat(small.dataQuality()).hasSameSizeAs(claimed.dataQuality());
    assertThat(small.estimation()).hasSameSizeAs(claimed.estimation());

    Map<String, Rows.FalseAlarm> pageFalseAlarms = claimed.falseAlarms().stream()
        .collect(Collectors.toMap(r -> r.regime() + " / " + r.test(), Function.identity()));
    for (Rows.FalseAlarm r : small.falseAlarms()) {
      Rows.FalseAlarm p = pageFalseAlarms.get(r.regime() + " / " + r.test());
      assertThat(p).as("page row for " + r.test() + " on " + r.regime()).isNotNull();
      assertThat(r.windows()).isEqualTo(WINDOWS);
      String what = r.test() + " on " + r.regime() + ": " + r.flagged() + " / " + r.windows() + ", page " + p.rate();
      if (r.test().contains(StatisticsPage.FIXED)) {
        // No claim but the page's measured rate (the fixed thresholds misfire on small windows).
        assertThat(Math.abs(r.rate() - p.rate())).as(what).isLessThanOrEqualTo(twoSample(r.flagged(), r.windows(), p.flagged(),
            p.windows()));
      } else {
        // p-value tests marked ok: not above alpha; distances and auto at their defaults: at most 5 %; the rows the page
        // lists above that: not above the page's rate.
        double claim = (r.pValueTest() ? p.verdict().equals("ok") : p.rate() <= ALPHA) ? ALPHA : p.rate();
        assertThat(r.rate()).as(what).isLessThanOrEqualTo(claim + tolerance(claim, r.windows()));
      }
    }

    Map<String, Rows.FamilyWise> pageFamily = claimed.familyWise().stream()
        .collect(Collectors.toMap(r -> r.method() + " " + r.windowSize(), Function.identity()));
    for (Rows.FamilyWise r : small.familyWise()) {
      Rows.FamilyWise p = pageFamily.get(r.method() + " " + r.windowSize());
      String what = "family-wise " + r.method() + ", window " + r.windowSize() + ": " + r.flagged() + " / " + r.windows();
      if (r.method().equals("none")) {
        assertThat(Math.abs(r.rate() - p.rate())).as(what).isLessThanOrEqualTo(twoSample(r.flagged(), r.windows(), p.flagged(),
            p.windows()));
      } else {
        double claim = Math.max(ALPHA, p.rate());
        assertThat(r.rate()).as(what).isLessThanOrEqualTo(claim + tolerance(claim, r.windows()));
      }
    }

    Map<String, Rows.Power> pagePower = claimed.power().stream()
        .collect(Collectors.toMap(r -> r.change() + " " + r.windowSize() + " " + r.test(), Function.identity()));
    for (Rows.Power r : small.power()) {
      Rows.Power p = pagePower.get(r.change() + " " + r.windowSize() + " " + r.test());
      assertThat(r.windows()).isEqualTo(POWER_WINDOWS);
      assertThat(Math.abs(r.rate() - p.rate())).as("power of " + r.test() + ", " + r.change() + ", window " + r.windowSize()
          + ": " + r.flagged() + " / " + r.windows() + ", page " + p.rate())
          .isLessThanOrEqualTo(twoSample(r.flagged(), r.windows(), p.flagged(), p.windows()));
    }

    // The page: the histogram path loses at most this much of KS's detection rate.
    double lost = claimed.sketchPath().stream().mapToDouble(Rows.SketchPath::lost).max().orElseThrow();
    for (Rows.SketchPath r : small.sketchPath()) {
      assertThat(r.lost()).as("histogram path, reference " + r.referenceSize() + ", window " + r.windowSize() + ", shift "
          + r.shiftSd()).isLessThanOrEqualTo(lost + tolerance(lost, r.windows()));
    }

    // ERT: the page's median realised run length (100 warm-ups) lies between the lowest and highest of this run's
    // warm-ups; for k warm-ups a median falls outside that range with probability 2 · 0.5^k (0.002 for 10).
    for (int i = 0; i < small.ert().size(); i++) {
      Rows.Ert r = small.ert().get(i);
      Rows.Ert p = claimed.ert().get(i);
      assertThat(r.asked()).isEqualTo(p.asked());
      assertThat(r.warmups()).isEqualTo(10);
      assertThat(p.medianRealised()).as("ERT asked " + r.asked() + ", warm-up " + r.warmupWindows())
          .isBetween(r.lowRealised(), r.highRealised());
    }

    // The online detectors' streams do not depend on --windows: with the page's seed they are the page's rows.
    assertThat(small.online()).isEqualTo(claimed.online());

    // PCA against per-feature tests: every rate within the two-sample tolerance of the page's rate.
    Map<String, PcaCalibration.Row> pagePca = claimed.pca().stream()
        .collect(Collectors.toMap(r -> r.change() + " / " + r.test(), Function.identity()));
    for (PcaCalibration.Row r : small.pca()) {
      PcaCalibration.Row p = pagePca.get(r.change() + " / " + r.test());
      assertThat(p).as("page row for " + r.test() + " on " + r.change()).isNotNull();
      assertThat(Math.abs(r.rate() - p.rate())).as(r.test() + ", " + r.change() + ": " + r.flagged() + " / " + r.windows()
          + ", page " + p.rate()).isLessThanOrEqualTo(twoSample(r.flagged(), r.windows(), p.flagged(), p.windows()));
    }

    // Data quality: missing_share without drift, marked ok, not above its alpha (else not above the page's rate); the
    // share checks and the power rows within the two-sample tolerance of the page's rate.
    Map<String, DataQualityCalibration.Row> pageQuality = claimed.dataQuality().stream()
        .collect(Collectors.toMap(CalibrationClaimsTest::key, Function.identity()));
    for (DataQualityCalibration.Row r : small.dataQuality()) {
      DataQualityCalibration.Row p = pageQuality.get(key(r));
      assertThat(p).as("page row for " + key(r)).isNotNull();
      assertThat(r.windows()).isEqualTo(r.noDrift() ? WINDOWS : POWER_WINDOWS);
      String what = key(r) + ": " + r.flagged() + " / " + r.windows() + ", page " + p.rate();
      if (r.noDrift() && r.check().equals(DataQualityCalibration.MISSING_SHARE)) {
        double claim = DataQualityCalibration.verdict(p).equals("ok") ? r.threshold() : p.rate();
        assertThat(r.rate()).as(what).isLessThanOrEqualTo(claim + tolerance(claim, r.windows()));
      } else {
        assertThat(Math.abs(r.rate() - p.rate())).as(what).isLessThanOrEqualTo(twoSample(r.flagged(), r.windows(), p.flagged(),
            p.windows()));
      }
    }

    // Multiclass estimation: coverage within the two-sample tolerance of the page's, the mean absolute error within three
    // standard errors of the difference of the two means.
    Map<String, EstimationCalibration.Row> pageEstimation = claimed.estimation().stream()
        .collect(Collectors.toMap(CalibrationClaimsTest::key, Function.identity()));
    for (EstimationCalibration.Row r : small.estimation()) {
      EstimationCalibration.Row p = pageEstimation.get(key(r));
      assertThat(p).as("page row for " + key(r)).isNotNull();
      assertThat(r.windows()).isEqualTo(WINDOWS);
      assertThat(Math.abs(r.coverage() - p.coverage())).as(key(r) + ": covered " + r.covered() + " / " + r.windows() + ", page "
          + p.coverage()).isLessThanOrEqualTo(twoSample(r.covered(), r.windows(), p.covered(), p.windows()));
      double se = Math.sqrt(r.sdAbsError() * r.sdAbsError() / r.windows() + p.sdAbsError() * p.sdAbsError() / p.windows());
      assertThat(Math.abs(r.meanAbsError() - p.meanAbsError())).as(key(r) + ": mean absolute error " + r.meanAbsError()
          + ", page " + p.meanAbsError()).isLessThanOrEqualTo(3 * se);
      assertThat(r.exact() == r.windows()).as(key(r) + ": exact summaries").isEqualTo(p.exact() == p.windows());
    }
  }

  private static String key(DataQualityCalibration.Row r) {
    return r.feature() + ", missing " + r.windowMissing() + ", window " + r.windowSize() + ", " + r.check();
  }

  private static String key(EstimationCalibration.Row r) {
    return r.classes() + " classes, window " + r.windowSize() + ", " + r.metric();
  }

  /** The binomial tolerance of a rate {@code p} measured on {@code n} windows: three standard errors. */
  static double tolerance(double p, long n) {
    return 3 * Math.sqrt(p * (1 - p) / n);
  }

  /** Three standard errors of the difference between two rates, with the rate pooled over both runs. */
  static double twoSample(long hits, long n, long otherHits, long otherN) {
    double p = (double) (hits + otherHits) / (n + otherN);
    return 3 * Math.sqrt(p * (1 - p) * (1.0 / n + 1.0 / otherN));
  }
}
