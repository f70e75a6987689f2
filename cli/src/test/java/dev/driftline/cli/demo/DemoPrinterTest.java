package dev.driftline.cli.demo;

import static dev.driftline.cli.demo.DemoRecordFixtures.alert;
import static dev.driftline.cli.demo.DemoRecordFixtures.drift;
import static dev.driftline.cli.demo.DemoRecordFixtures.estimated;
import static dev.driftline.cli.demo.DemoRecordFixtures.profile;
import static dev.driftline.cli.demo.DemoRecordFixtures.realized;
import static dev.driftline.cli.demo.DemoRecordFixtures.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.estimation.EstimatedMetric;
import dev.driftline.core.estimation.MulticlassPerformanceEstimate;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoPrinterTest {
  private final List<String> lines = new ArrayList<>();
  private final DemoPrinter printer = new DemoPrinter(lines::add);

  @Test
  void tellsAWindowWhenTheModelsNextWindowBeginsWithItsDriftedFeaturesAndFailedChecks() {
    printer.drift(drift("credit-default", "income", "ks", "08:30", false));
    printer.drift(drift("credit-default", "income", "psi", "08:30", false));
    assertThat(lines).isEmpty();

    printer.drift(drift("credit-default", "loan_purpose", "chi2", "08:40", true));
    assertThat(lines).containsExactly("  credit-default window 08:30 closed: no drift");
    printer.drift(drift("credit-default", "income", "ks", "08:40", true));
    printer.drift(drift("credit-default", "income", "psi", "08:40", true));
    printer.drift(drift("credit-default", "credit_utilization", "missing_share", "08:40", true));
    printer.drift(drift("credit-default", "age", "out_of_range", "08:40", false));
    printer.drift(drift("churn", "tenure", "ks", "08:40", false));
    printer.drift(drift("churn", "tenure", "wrong_type", "08:40", true));
    printer.drift(drift("credit-default", "income", "ks", "08:50", false));

    assertThat(lines).containsExactly(
        "  credit-default window 08:30 closed: no drift",
        "  credit-default window 08:40 closed: DRIFT in income, loan_purpose",
        "  credit-default data quality: credit_utilization missing_share failed in window 08:40");
    printer.finish();
    assertThat(lines.subList(3, lines.size())).containsExactly(
        "  churn window 08:40 closed: no drift",
        "  churn data quality: tenure wrong_type failed in window 08:40",
        "  credit-default window 08:50 closed: no drift");
    // credit-default 08:40 only: a failed check is not drift
    assertThat(printer.driftedWindows()).isEqualTo(1);
  }

  @Test
  void namesMultivariateDriftOnALineOfItsOwnWithItsBand() {
    printer.drift(pca("08:30", 1.02, false));
    printer.drift(drift("credit-default", "income", "ks", "08:40", true));
    printer.drift(pca("08:40", 1.4567, true));
    printer.drift(drift("credit-default", "income", "ks", "08:50", false));
    printer.drift(pca("08:50", 1.3, true));
    printer.drift(drift("credit-default", "retail", "__pca__", "multivariate", "pca_reconstruction", "09:00", true));
    printer.finish();

    assertThat(lines).containsExactly(
        "  credit-default window 08:30 closed: no drift",
        "  credit-default window 08:40 closed: DRIFT in income",
        "  credit-default multivariate drift: pca_reconstruction fired in window 08:40 (mean reconstruction error 1.457,"
            + " reference band [0.950, 1.100])",
        "  credit-default window 08:50 closed: no feature drifted on its own",
        "  credit-default multivariate drift: pca_reconstruction fired in window 08:50 (mean reconstruction error 1.300,"
            + " reference band [0.950, 1.100])");
    assertThat(printer.driftedWindows()).isEqualTo(2);
  }

  private static DriftResult pca(String hhmm, double meanError, boolean drift) {
    DriftResult r = drift("credit-default", "__all__", "__pca__", "multivariate", "pca_reconstruction", hhmm, drift);
    return new DriftResult(r.modelId(), r.segment(), r.feature(), r.featureType(), r.test(), meanError, null, null, 1.1, drift,
        null, null, null, null, r.windowStart(), r.windowEnd(), 28, 600, r.referenceId(), r.computedAt(), null, null, 0.95, 1.1);
  }

  @Test
  void leavesLabelDriftAndSegmentsOutOfTheWindowsStory() {
    printer.drift(drift("credit-default", "__all__", "__label__", "label", "chi2", "08:30", true));
    printer.drift(drift("credit-default", "retail", "income", "numeric", "ks", "08:30", true));
    printer.finish();
    assertThat(lines).isEmpty();
    assertThat(printer.driftedWindows()).isZero();

    printer.drift(drift("credit-default", "__all__", "__label__", "label", "chi2", "08:30", true));
    printer.drift(drift("credit-default", "income", "ks", "08:30", false));
    printer.drift(drift("credit-default", "retail", "income", "numeric", "ks", "08:30", true));
    printer.finish();
    assertThat(lines).containsExactly("  credit-default window 08:30 closed: no drift");
  }

  @Test
  void tellsAWholeModelsEstimateBeforeLabelsWithItsIntervals() {
    printer.performance(estimated("churn", "__all__", "08:40", new EstimatedMetric(0.8124, 0.79049, 0.83462),
        new EstimatedMetric(0.7, 0.6501, 0.75)));
    printer.performance(estimated("credit-default", "__all__", "09:10", new EstimatedMetric(0.9, 0.85, 1.0), null));
    printer.performance(estimated("churn", "retail", "08:40", new EstimatedMetric(0.8, 0.7, 0.9), null));
    printer.performance(realized("churn", "08:40"));

    assertThat(lines).containsExactly(
        "  churn window 08:40 estimated before labels: accuracy 0.812 [0.790, 0.835], auc 0.700 [0.650, 0.750]",
        "  credit-default window 09:10 estimated before labels: accuracy 0.900 [0.850, 1.000], auc -");
  }

  @Test
  void tellsAMulticlassModelsEstimateWithAccuracyAndMacroF1() {
    long start = java.time.Instant.parse(DemoRecordFixtures.windowStart("08:40")).toEpochMilli();
    printer.performance(PerformanceResult.estimated("ticket-routing", "__all__", start, start + 1_200_000,
        new MulticlassPerformanceEstimate("isotonic", "p", 590, 0.95, true, new EstimatedMetric(0.8014, 0.77, 0.83),
            new EstimatedMetric(0.7649, 0.72, 0.8)), start + 1_300_000));

    assertThat(lines).containsExactly(
        "  ticket-routing window 08:40 estimated before labels: accuracy 0.801 [0.770, 0.830], macro_f1 0.765 [0.720, 0.800]");
  }

  @Test
  void tellsEachMulticlassWindowOnceAllIsReadWithItsMostLabelledUpdate() {
    printer.performance(multiclass("ticket-routing", "__all__", "08:20", 300, 0.61, 0.70));
    printer.performance(multiclass("ticket-routing", "__all__", "08:00", 280, 0.75, 0.80));
    printer.performance(multiclass("ticket-routing", "channel_a", "08:00", 100, 0.1, 0.1));
    printer.performance(multiclass("ticket-routing", "__all__", "08:00", 590, 0.7812, 0.8004));
    printer.performance(realized("churn", "08:00"));
    assertThat(lines).isEmpty();

    printer.finish();
    assertThat(lines).containsExactly(
        "  ticket-routing window 08:00 on 590 labels: macro_f1 0.781, accuracy 0.800, macro_auc 0.900",
        "  ticket-routing window 08:20 on 300 labels: macro_f1 0.610, accuracy 0.700, macro_auc 0.900");
  }

  /** A realized multiclass result of a 20-minute window on {@code labelled} of 600 predictions. */
  private static PerformanceResult multiclass(String model, String segment, String hhmm, long labelled, double macroF1,
      double accuracy) {
    String start = DemoRecordFixtures.windowStart(hhmm);
    return new PerformanceResult(model, segment, start, java.time.Instant.parse(start).plusSeconds(1200).toString(), 600,
        labelled, labelled / 600.0, true, java.util.Map.of("macro_f1", macroF1, "accuracy", accuracy, "macro_auc", 0.9),
        null, null, "2026-12-07T18:00:00Z", false, null, null, null, java.util.Map.of("billing", 0.8));
  }

  @Test
  void tellsWarningsTriggersAndNewBaselines() {
    printer.alert(alert("warning", "credit-default: PSI of income 0.18 above 0.1 in window 08:40"));
    printer.alert(alert("critical", "credit-default: retrain"));
    printer.trigger(trigger("trg-7f3a", List.of("dataset drift: 3 of 12 features", "psi of income 0.31 above 0.25")));
    printer.trigger(trigger("trg-0001", List.of()));
    printer.baseline(profile("credit-default-20261207T180000"));

    assertThat(lines).containsExactly(
        "  alert (warning) credit-default: PSI of income 0.18 above 0.1 in window 08:40",
        "  RETRAIN TRIGGER trg-7f3a credit-default [__all__]: dataset drift: 3 of 12 features; psi of income 0.31 above 0.25",
        "  RETRAIN TRIGGER trg-0001 credit-default [__all__]: ",
        "  new baseline published: credit-default-20261207T180000");
  }
}
