package dev.driftline.cli.calibrate;

import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.DriftEvaluator;
import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.stats.KolmogorovSmirnov;
import dev.driftline.core.stats.MultipleTestingMethod;
import dev.driftline.core.stats.NumericHistogram;
import dev.driftline.core.window.WindowSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs simulated windows through the code the drift job runs at window end: the reference is a
 * profile built as {@code driftline baseline build} builds it, each window's numbers go into the
 * window's {@link NumericHistogram} (exact up to {@link WindowSummary#MAX_BUCKETS} distinct values,
 * coarsened past that) and every test is read by {@link DriftEvaluator}. Each window gets a new
 * reference ({@link #REFERENCE_REUSE} is 1): windows compared with one shared reference are not
 * independent (an unusual reference makes many of them fire), so a rate over them would have a
 * wider spread than its binomial interval says.
 */
final class Simulation {
  /** Windows compared with one reference before a new one is drawn. */
  static final int REFERENCE_REUSE = 1;

  /** The name of the extra result: two-sample KS on every raw value of both sides. */
  static final String KS_RAW = "ks (raw values)";

  private Simulation() {}

  /** Deterministic seed of one cell of a table: the run's seed and the cell's name. */
  static long seed(long seed, String cell) {
    long h = seed ^ 0x9E3779B97F4A7C15L;
    for (int i = 0; i < cell.length(); i++) {
      h = (h ^ cell.charAt(i)) * 0x100000001B3L;
    }
    return h;
  }

  /**
   * One numeric feature: {@code windows} windows of {@code n} values against references of
   * {@code m} values, each window drawn with the given drift. With {@code rawKs} also the KS of
   * the raw values on both sides (what an exact computation would say).
   */
  static Map<String, Outcomes> numeric(Population.Numeric population, int m, int n, double shiftSd, double scale,
      int windows, long seed, List<DriftTestSpec> tests, boolean rawKs) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, boolean[]> flags = new LinkedHashMap<>();
    Map<String, double[]> statistics = new LinkedHashMap<>();
    NumericSummary reference = null;
    double[] referenceValues = null;
    int[] bins = tests.stream().mapToInt(DriftTestSpec::bins).distinct().toArray();
    for (int w = 0; w < windows; w++) {
      if (w % REFERENCE_REUSE == 0) {
        referenceValues = population.draw(random, m, 0, 1);
        reference = BaselineBuilder.summarize(referenceValues, bins);
      }
      double[] current = population.draw(random, n, shiftSd, scale);
      NumericHistogram histogram = new NumericHistogram(WindowSummary.MAX_BUCKETS);
      for (double v : current) {
        histogram.add(v);
      }
      List<FeatureDrift> results = DriftEvaluator.numeric("x", reference, m, new NumericSample(histogram.buckets()), tests);
      for (int t = 0; t < tests.size(); t++) {
        record(flags, statistics, label(tests.get(t)), windows, w, results.get(t));
      }
      if (rawKs) {
        double p = KolmogorovSmirnov.twoSample(referenceValues, current).pValue();
        flags.computeIfAbsent(KS_RAW, k -> new boolean[windows])[w] = p < 0.05;
        statistics.computeIfAbsent(KS_RAW, k -> new double[windows])[w] = p;
      }
    }
    return outcomes(flags, statistics);
  }

  /** One categorical feature: windows of {@code n} against references of {@code m}, mix change {@code epsilon}. */
  static Map<String, Outcomes> categorical(Population.Categorical population, int m, int n, double epsilon,
      int windows, long seed, List<DriftTestSpec> tests) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, boolean[]> flags = new LinkedHashMap<>();
    Map<String, double[]> statistics = new LinkedHashMap<>();
    Map<String, Long> reference = null;
    for (int w = 0; w < windows; w++) {
      if (w % REFERENCE_REUSE == 0) {
        reference = population.draw(random, m, 0);
      }
      Map<String, Long> current = population.draw(random, n, epsilon);
      List<FeatureDrift> results = DriftEvaluator.categorical("x", reference, current, tests);
      for (int t = 0; t < tests.size(); t++) {
        record(flags, statistics, label(tests.get(t)), windows, w, results.get(t));
      }
    }
    return outcomes(flags, statistics);
  }

  /**
   * Windows of {@code features} independent continuous features, each tested with {@code test};
   * per multiple-testing method, whether the window had at least one flagged feature.
   */
  static Map<MultipleTestingMethod, Outcomes> family(int features, int m, int n, int windows, long seed,
      DriftTestSpec test) {
    SplittableRandom random = new SplittableRandom(seed);
    NumericSummary[] references = new NumericSummary[features];
    Map<MultipleTestingMethod, boolean[]> any = new LinkedHashMap<>();
    Map<MultipleTestingMethod, double[]> flagged = new LinkedHashMap<>();
    for (int w = 0; w < windows; w++) {
      List<FeatureDrift> results = new ArrayList<>();
      for (int f = 0; f < features; f++) {
        if (w % REFERENCE_REUSE == 0) {
          references[f] = BaselineBuilder.summarize(Population.Numeric.CONTINUOUS.draw(random, m, 0, 1),
              new int[] {test.bins()});
        }
        double[] current = Population.Numeric.CONTINUOUS.draw(random, n, 0, 1);
        results.addAll(DriftEvaluator.numeric("f" + f, references[f], m, current, List.of(test)));
      }
      for (MultipleTestingMethod method : MultipleTestingMethod.values()) {
        long count = DriftEvaluator.adjust(results, method).stream().filter(FeatureDrift::drift).count();
        any.computeIfAbsent(method, k -> new boolean[windows])[w] = count > 0;
        flagged.computeIfAbsent(method, k -> new double[windows])[w] = count;
      }
    }
    Map<MultipleTestingMethod, Outcomes> out = new LinkedHashMap<>();
    any.forEach((method, f) -> out.put(method, new Outcomes(f, flagged.get(method))));
    return out;
  }

  /**
   * A test's name in the tables: its id, with its options when they differ from the defaults (a
   * flag as {@code true} or {@code false}, e.g. {@code psi size_aware=false}).
   */
  static String label(DriftTestSpec spec) {
    DriftTestSpec defaults = spec.test().defaults();
    StringBuilder out = new StringBuilder(spec.test().id());
    if (Double.compare(spec.threshold(), defaults.threshold()) != 0) {
      out.append(spec.test().isPValueTest() ? " α=" : " > ").append(spec.threshold());
    }
    if (spec.bins() != defaults.bins()) {
      out.append(" bins=").append(spec.bins());
    }
    Map<String, DriftTest.Option> known = spec.test().extraOptions(
        spec.test().featureTypes().get(0));
    spec.options().forEach((key, value) -> {
      DriftTest.Option option = known.get(key);
      if (option != null && option.fallback() == value) {
        return;
      }
      out.append(' ').append(key).append('=').append(option != null && option.flag() ? String.valueOf(value != 0)
          : value == Math.rint(value) ? String.valueOf((long) (double) value) : value);
    });
    return out.toString();
  }

  private static void record(Map<String, boolean[]> flags, Map<String, double[]> statistics, String name, int windows,
      int w, FeatureDrift r) {
    flags.computeIfAbsent(name, k -> new boolean[windows])[w] = r.drift();
    statistics.computeIfAbsent(name, k -> new double[windows])[w] = r.pValue() != null ? r.pValue() : r.statistic();
  }

  private static Map<String, Outcomes> outcomes(Map<String, boolean[]> flags, Map<String, double[]> statistics) {
    Map<String, Outcomes> out = new LinkedHashMap<>();
    flags.forEach((name, f) -> out.put(name, new Outcomes(f, statistics.get(name))));
    return out;
  }
}
