package dev.driftline.cli.calibrate;

import dev.driftline.core.estimation.ClassScoreSummary;
import dev.driftline.core.estimation.EstimatedMetric;
import dev.driftline.core.estimation.MulticlassEstimator;
import dev.driftline.core.estimation.PerformanceEstimate;
import dev.driftline.core.estimation.PerformanceEstimator;
import dev.driftline.core.estimation.ScoreCalibration;
import dev.driftline.core.metrics.ClassificationMetrics;
import dev.driftline.core.metrics.MulticlassMetrics;
import dev.driftline.core.spec.EstimationSpec;
import dev.driftline.core.stats.NumericHistogram;
import dev.driftline.core.window.WindowSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Performance estimation before labels, multiclass and binary: how often the 95 % intervals of estimated
 * accuracy and (macro) F1 hold the metric realised on the window's labels, and how far the estimate
 * is from it. The model is calibrated: a row's probabilities are {@code u_c^}{@value #SHARPNESS}
 * ({@code u_c} uniform) divided by their sum, and its label is drawn from them. Each window gets a
 * reference of its own of {@value #REFERENCE} labelled rows on which the calibrations are fitted
 * with the default method ({@link MulticlassEstimator#fit}); the window's rows go into a {@link
 * ClassScoreSummary} as the drift job keeps them, and {@link MulticlassEstimator#estimate} reads it.
 * Two classes are a binary classifier: the score is class 1's probability, kept in the window's
 * score histogram, and {@link PerformanceEstimator} (CBPE) estimates accuracy and F1 at the
 * threshold {@value #THRESHOLD}.
 */
final class EstimationCalibration {
  static final int REFERENCE = 5_000;
  static final double SHARPNESS = 4;
  static final String ACCURACY = "accuracy";
  static final String MACRO_F1 = "macro_f1";
  static final String F1 = "f1";
  /** The spec's default {@code classification_threshold}. */
  static final double THRESHOLD = 0.5;

  private EstimationCalibration() {}

  /**
   * One metric on windows of one kind.
   *
   * @param covered windows whose realised metric lies in the estimate's interval
   * @param meanAbsError mean over the windows of |estimate − realised|
   * @param sdAbsError standard deviation over the windows of |estimate − realised|
   * @param exact windows whose summary kept every row exactly
   */
  record Row(int classes, int windowSize, String metric, long windows, long covered, double coverage, double low,
      double high, double meanAbsError, double sdAbsError, long exact) {}

  static List<Integer> classCounts() {
    return List.of(2, 3, 10);
  }

  static List<Integer> windowSizes() {
    return List.of(100, 1_000);
  }

  /** {@code windows} windows per number of classes and window size, each row once for accuracy and once for macro F1. */
  static List<Row> rows(long seed, int windows) {
    List<Supplier<List<Row>>> cells = new ArrayList<>();
    for (int k : classCounts()) {
      for (int n : windowSizes()) {
        cells.add(() -> cell(k, n, windows, Simulation.seed(seed, "estimation " + k + " classes, window " + n)));
      }
    }
    return DriftTestCalibration.parallel(cells);
  }

  private static List<Row> cell(int k, int n, int windows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] errors = new double[2][windows];
    long[] covered = new long[2];
    long exact = 0;
    for (int w = 0; w < windows; w++) {
      double[][] reference = new double[REFERENCE][];
      int[] referenceLabels = new int[REFERENCE];
      draw(random, k, reference, referenceLabels);
      double[][] rows = new double[n][];
      int[] labels = new int[n];
      draw(random, k, rows, labels);
      EstimatedMetric[] estimated;
      double[] actual;
      if (k == 2) {
        PerformanceEstimate estimate = binary(reference, referenceLabels, rows);
        ClassificationMetrics realised = ClassificationMetrics.of(column(rows, 1), labels, THRESHOLD);
        exact += estimate.exact() ? 1 : 0;
        estimated = new EstimatedMetric[] {estimate.accuracy(), estimate.f1()};
        actual = new double[] {realised.accuracy(), realised.f1()};
      } else {
        List<ScoreCalibration> calibrations = MulticlassEstimator.fit(EstimationSpec.DEFAULT.calibration(), reference,
            referenceLabels, k);
        ClassScoreSummary summary = new ClassScoreSummary(k);
        for (double[] row : rows) {
          summary.add(row);
        }
        MulticlassEstimator.Estimate estimate = MulticlassEstimator.estimate(summary, calibrations);
        MulticlassMetrics realised = MulticlassMetrics.of(rows, labels, k);
        exact += estimate.exact() ? 1 : 0;
        estimated = new EstimatedMetric[] {estimate.accuracy(), estimate.macroF1()};
        actual = new double[] {realised.accuracy(), realised.macroF1()};
      }
      for (int m = 0; m < 2; m++) {
        covered[m] += estimated[m].covers(actual[m]) ? 1 : 0;
        errors[m][w] = Math.abs(estimated[m].value() - actual[m]);
      }
    }
    List<Row> out = new ArrayList<>();
    List<String> metrics = List.of(ACCURACY, k == 2 ? F1 : MACRO_F1);
    for (int m = 0; m < 2; m++) {
      Rate rate = new Rate(covered[m], windows);
      double mean = java.util.Arrays.stream(errors[m]).sum() / windows;
      double squares = 0;
      for (double e : errors[m]) {
        squares += (e - mean) * (e - mean);
      }
      out.add(new Row(k, n, metrics.get(m), windows, covered[m], rate.value(), rate.low(), rate.high(), mean,
          Math.sqrt(squares / (windows - 1)), exact));
    }
    return out;
  }

  /** CBPE of a binary classifier whose score is class 1's probability, calibrated on the reference. */
  private static PerformanceEstimate binary(double[][] reference, int[] referenceLabels, double[][] rows) {
    boolean[] positive = new boolean[referenceLabels.length];
    for (int i = 0; i < positive.length; i++) {
      positive[i] = referenceLabels[i] == 1;
    }
    ScoreCalibration calibration = ScoreCalibration.fit(EstimationSpec.DEFAULT.calibration(), column(reference, 1), positive);
    NumericHistogram scores = new NumericHistogram(WindowSummary.MAX_BUCKETS);
    for (double[] row : rows) {
      scores.add(row[1]);
    }
    return PerformanceEstimator.estimate(scores.buckets(), calibration, THRESHOLD, "reference");
  }

  private static double[] column(double[][] rows, int c) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i][c];
    }
    return out;
  }

  /** Fills {@code rows} with probabilities of {@code k} classes and {@code labels} with a label drawn from each. */
  static void draw(SplittableRandom random, int k, double[][] rows, int[] labels) {
    for (int i = 0; i < rows.length; i++) {
      double[] p = new double[k];
      double sum = 0;
      for (int c = 0; c < k; c++) {
        p[c] = Math.pow(random.nextDouble(), SHARPNESS);
        sum += p[c];
      }
      double u = random.nextDouble() * sum;
      int label = k - 1;
      for (int c = 0; c < k; c++) {
        u -= p[c];
        if (u < 0 && label == k - 1) {
          label = c;
        }
        p[c] /= sum;
      }
      rows[i] = p;
      labels[i] = label;
    }
  }

  /** What the table measures, one paragraph. */
  static String intro() {
    return String.format(Locale.ROOT, """
        A calibrated model: a row's class probabilities are u^%s (u uniform on [0, 1]) divided by their sum, and its
        label is drawn from them. Every window has a reference of its own of %,d labelled rows on which each class's
        calibration is fitted one-vs-rest (`%s`, the default); the window's rows go into its class score summary
        (exact up to %,d probabilities, coarsened beyond) and the estimate is read from it before labels. Two classes
        are a binary classifier: its score, class 1's probability, goes into the window's score histogram, and CBPE
        estimates accuracy and F1 at the threshold %s. Coverage is the share of windows whose realised metric lies in
        the estimate's 95 %% interval (the interval does not include the calibration's own error); the error is the
        absolute difference of the estimate and the realised metric, over the windows.
        """, StatisticsPage.num(SHARPNESS), REFERENCE, EstimationSpec.DEFAULT.calibration().id(), ClassScoreSummary.VALUE_LIMIT,
        StatisticsPage.num(THRESHOLD));
  }

  static String table(List<Row> rows) {
    StringBuilder out = new StringBuilder("| classes | window | metric | covered | coverage [95 % CI] | mean absolute error"
        + " (sd) | exact summaries |\n|---:|---:|---|---:|---|---|---:|\n");
    for (Row r : rows) {
      out.append(String.format(Locale.ROOT, "| %d | %d | %s | %d / %d | %s | %.4f (%.4f) | %d |%n", r.classes(),
          r.windowSize(), r.metric(), r.covered(), r.windows(), StatisticsPage.rate(r.coverage(), r.low(), r.high()),
          r.meanAbsError(), r.sdAbsError(), r.exact()));
    }
    return out.toString();
  }

  /** What the table says, read from its rows. */
  static String findings(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    for (String metric : List.of(ACCURACY, F1, MACRO_F1)) {
      List<Row> of = rows.stream().filter(r -> r.metric().equals(metric)).toList();
      if (of.isEmpty()) {
        continue;
      }
      Row lowest = of.stream().min(Comparator.comparingDouble(Row::coverage)).orElseThrow();
      Row highest = of.stream().max(Comparator.comparingDouble(Row::coverage)).orElseThrow();
      Row worst = of.stream().max(Comparator.comparingDouble(Row::meanAbsError)).orElseThrow();
      List<Row> below = of.stream().filter(r -> StatisticsPage.shown(r.high()) < 0.95).toList();
      out.append(String.format(Locale.ROOT, "- **Estimated `%s`**: the 95 %% interval holds the realised value in %.3f (%d"
          + " classes, window %,d) to %.3f (%d classes, window %,d) of windows; %s; the mean absolute error is at most"
          + " %.4f (%d classes, window %,d).%n", metric, lowest.coverage(), lowest.classes(), lowest.windowSize(),
          highest.coverage(), highest.classes(), highest.windowSize(),
          below.isEmpty() ? "every row's coverage interval reaches 0.95" : "short of 0.95 beyond chance: " + String.join("; ",
              below.stream().map(r -> String.format(Locale.ROOT, "%d classes, window %,d, %s summaries", r.classes(),
                  r.windowSize(), r.exact() == r.windows() ? "exact" : r.exact() == 0 ? "coarsened" : "partly coarsened"))
                  .toList()), worst.meanAbsError(), worst.classes(), worst.windowSize()));
    }
    return out.toString();
  }
}
