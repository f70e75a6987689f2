package dev.driftline.cli.calibrate;

import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.DriftEvaluator;
import dev.driftline.core.drift.DriftTests;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.drift.methods.PcaReconstructionDriftTest;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.stats.MultipleTestingMethod;
import dev.driftline.core.stats.NumericHistogram;
import dev.driftline.core.stats.PcaModel;
import dev.driftline.core.window.WindowSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * PCA reconstruction error against per-feature KS and PSI on a change that only the features'
 * joint distribution shows: {@value #FEATURES} standard normal features in pairs of correlation
 * {@value #RHO}, whose correlation drops to {@code to} while every feature's own distribution stays
 * N(0, 1). Each window gets its own reference of {@value #REFERENCE} rows (as {@link Simulation}),
 * on which the model is fitted with chunks of the window's size. Per-feature tests run as the drift
 * job runs them: every feature's KS and PSI read by {@link DriftEvaluator}, with the spec's default
 * multiple-testing control (BH) across the features' p-values; a window counts as flagged by a
 * test when any feature is.
 */
final class PcaCalibration {
  static final int FEATURES = 4;
  static final double RHO = 0.8;
  static final int REFERENCE = 5_000;
  static final int WINDOW = 500;

  private PcaCalibration() {}

  /**
   * One test on windows of one kind.
   *
   * @param change {@code none} or the correlation the pairs drop to
   */
  record Row(String change, String test, long windows, long flagged, double rate, double low, double high) {}

  /** No-drift windows ({@code windows}) and correlation-change windows ({@code powerWindows}), each for pca, ks and psi. */
  static List<Row> rows(long seed, int windows, int powerWindows) {
    List<Row> out = new ArrayList<>();
    out.addAll(cell("none", RHO, windows, Simulation.seed(seed, "pca none")));
    out.addAll(cell("correlation " + RHO + " → 0", 0.0, powerWindows, Simulation.seed(seed, "pca correlation 0")));
    return out;
  }

  private static List<Row> cell(String change, double to, int windows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<DriftTestSpec> tests = List.of(DriftTests.get("ks").defaults(), DriftTests.get("psi").defaults());
    int[] bins = {DriftTestSpec.DEFAULT_BINS};
    List<String> names = new ArrayList<>();
    for (int f = 0; f < FEATURES; f++) {
      names.add("x" + f);
    }
    long[] flagged = new long[1 + tests.size()];
    for (int w = 0; w < windows; w++) {
      double[][] reference = draw(random, REFERENCE, RHO);
      double[][] current = draw(random, WINDOW, to);
      PcaModel model = PcaModel.fit(names, reference, PcaModel.DEFAULT_VARIANCE_SHARE, WINDOW);
      double sum = 0;
      for (double[] row : current) {
        sum += model.reconstructionError(row);
      }
      if (PcaReconstructionDriftTest.evaluate(model, WINDOW, sum / WINDOW).drift()) {
        flagged[0]++;
      }
      List<FeatureDrift> results = new ArrayList<>();
      for (int f = 0; f < FEATURES; f++) {
        NumericSummary summary = BaselineBuilder.summarize(column(reference, f), bins);
        NumericHistogram histogram = new NumericHistogram(WindowSummary.MAX_BUCKETS);
        for (double[] row : current) {
          histogram.add(row[f]);
        }
        results.addAll(DriftEvaluator.numeric(names.get(f), summary, REFERENCE, new NumericSample(histogram.buckets()), tests));
      }
      results = DriftEvaluator.adjust(results, MultipleTestingMethod.BH);
      for (int t = 0; t < tests.size(); t++) {
        String id = tests.get(t).test().id();
        if (results.stream().anyMatch(r -> r.test().equals(id) && r.drift())) {
          flagged[1 + t]++;
        }
      }
    }
    List<Row> out = new ArrayList<>();
    List<String> labels = List.of("pca_reconstruction", "ks on each feature", "psi on each feature");
    for (int t = 0; t < flagged.length; t++) {
      Rate rate = new Rate(flagged[t], windows);
      out.add(new Row(change, labels.get(t), windows, flagged[t], rate.value(), rate.low(), rate.high()));
    }
    return out;
  }

  /** {@code n} rows of {@link #FEATURES} N(0, 1) features, pairs (0, 1), (2, 3), ... of correlation {@code rho}. */
  static double[][] draw(SplittableRandom random, int n, double rho) {
    double[][] rows = new double[n][FEATURES];
    double spread = Math.sqrt(1 - rho * rho);
    for (double[] row : rows) {
      for (int f = 0; f + 1 < FEATURES; f += 2) {
        double a = random.nextGaussian();
        row[f] = a;
        row[f + 1] = rho * a + spread * random.nextGaussian();
      }
    }
    return rows;
  }

  private static double[] column(double[][] rows, int f) {
    double[] out = new double[rows.length];
    for (int r = 0; r < rows.length; r++) {
      out[r] = rows[r][f];
    }
    return out;
  }

  /** What the table measures, one paragraph. */
  static String intro() {
    return String.format(Locale.ROOT, """
        %d standard normal features in pairs of correlation %s; with a change, the pairs' correlation drops to 0 and every
        feature keeps its N(0, 1) distribution. References of %,d rows (the model fitted with variance_share %s and
        chunk_size %d), windows of %d rows. `pca_reconstruction` flags a window whose mean error leaves mean ± 3 sd of the
        reference's chunk means; KS and PSI flag a window when any feature is flagged (BH across the features' p-values).
        The change rows are its power; the `none` rows its false alarms.
        """, FEATURES, RHO, REFERENCE, PcaModel.DEFAULT_VARIANCE_SHARE, WINDOW, WINDOW);
  }

  /** The rows as one markdown table: false alarms and power side by side. */
  static String table(List<Row> rows) {
    StringBuilder out = new StringBuilder("| change | test | windows | flagged | rate | 95 % interval |\n"
        + "|---|---|---:|---:|---:|---|\n");
    for (Row r : rows) {
      out.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.3f | [%.3f, %.3f] |%n", r.change(), r.test(),
          r.windows(), r.flagged(), r.rate(), r.low(), r.high()));
    }
    return out.toString();
  }
}
