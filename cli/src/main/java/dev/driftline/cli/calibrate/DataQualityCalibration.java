package dev.driftline.cli.calibrate;

import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.Constraints;
import dev.driftline.core.baseline.FeatureBaseline;
import dev.driftline.core.drift.DriftTests;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.quality.FeatureQuality;
import dev.driftline.core.quality.QualityChecks;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.NumericHistogram;
import dev.driftline.core.window.WindowSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The data-quality checks on windows drawn from the reference, and {@code missing_share}'s power
 * when the missing share rises. Each window gets its own reference of {@value #REFERENCE} rows
 * (every cell missing with probability {@value #REFERENCE_MISSING}), whose constraints are those
 * {@code driftline baseline build} suggests ({@link Constraints#suggest}); the window's values go
 * into the window's histogram as the drift job keeps them, and the checks run with their defaults
 * through {@link QualityChecks}, as the drift job runs them at window end.
 */
final class DataQualityCalibration {
  static final int REFERENCE = 5_000;
  static final double REFERENCE_MISSING = 0.05;
  static final int CATEGORIES = 50;
  static final String NUMERIC = "numeric, N(0, 1)";
  static final String CATEGORICAL = CATEGORIES + " categories, Zipf";
  static final String MISSING_SHARE = "missing_share";

  private DataQualityCalibration() {}

  /**
   * One check on windows of one kind.
   *
   * @param windowMissing the probability of a missing cell in the window ({@link #REFERENCE_MISSING} without drift)
   * @param threshold the check's alpha or share threshold
   */
  record Row(String feature, double windowMissing, int windowSize, String check, double threshold, long windows,
      long flagged, double rate, double low, double high) {
    boolean noDrift() {
      return windowMissing == REFERENCE_MISSING;
    }
  }

  static List<Integer> windowSizes() {
    return List.of(100, 1_000, 10_000);
  }

  static List<Double> risenShares() {
    return List.of(0.10, 0.20);
  }

  /** No-drift windows ({@code windows} per cell) for every check, and {@code missing_share} on risen shares ({@code powerWindows}). */
  static List<Row> rows(long seed, int windows, int powerWindows) {
    List<Supplier<List<Row>>> cells = new ArrayList<>();
    for (String feature : List.of(NUMERIC, CATEGORICAL)) {
      for (int n : windowSizes()) {
        cells.add(() -> cell(feature, REFERENCE_MISSING, n, windows, seed));
        for (double share : risenShares()) {
          cells.add(() -> cell(feature, share, n, powerWindows, seed).stream()
              .filter(r -> r.check().equals(MISSING_SHARE)).toList());
        }
      }
    }
    return DriftTestCalibration.parallel(cells);
  }

  private static List<Row> cell(String feature, double windowMissing, int n, int windows, long seed) {
    String name = String.format(Locale.ROOT, "data quality %s, missing %s, window %d", feature, windowMissing, n);
    SplittableRandom random = new SplittableRandom(Simulation.seed(seed, name));
    boolean numeric = feature.equals(NUMERIC);
    FeatureSpec spec = new FeatureSpec("x", numeric ? FeatureType.NUMERIC : FeatureType.CATEGORICAL, false);
    List<DriftTestSpec> checks = DriftTests.qualityChecks().stream().filter(c -> c.appliesTo(spec.type()))
        .filter(c -> !c.id().equals("wrong_type")).map(c -> c.defaults()).toList();
    Population.Categorical categories = new Population.Categorical(CATEGORIES);
    long[] flagged = new long[checks.size()];
    for (int w = 0; w < windows; w++) {
      FeatureBaseline reference = numeric ? numericReference(random) : categoricalReference(random, categories);
      FeatureQuality window = numeric ? numericWindow(random, n, windowMissing) : categoricalWindow(random, categories, n, windowMissing);
      List<FeatureDrift> results = QualityChecks.run(checks, spec, window, Constraints.suggest(reference),
          reference.count() + reference.missing());
      for (FeatureDrift r : results) {
        if (r.drift()) {
          flagged[index(checks, r.test())]++;
        }
      }
    }
    List<Row> out = new ArrayList<>();
    for (int c = 0; c < checks.size(); c++) {
      Rate rate = new Rate(flagged[c], windows);
      out.add(new Row(feature, windowMissing, n, checks.get(c).test().id(), checks.get(c).threshold(), windows, flagged[c],
          rate.value(), rate.low(), rate.high()));
    }
    return out;
  }

  private static int index(List<DriftTestSpec> checks, String id) {
    for (int c = 0; c < checks.size(); c++) {
      if (checks.get(c).test().id().equals(id)) {
        return c;
      }
    }
    throw new IllegalStateException("a result of check " + id + ", expected one of the checks run");
  }

  /** Number of the {@code n} cells that are missing, each with probability {@code share}. */
  private static int missing(SplittableRandom random, int n, double share) {
    int missing = 0;
    for (int i = 0; i < n; i++) {
      if (random.nextDouble() < share) {
        missing++;
      }
    }
    return missing;
  }

  private static FeatureBaseline numericReference(SplittableRandom random) {
    int missing = missing(random, REFERENCE, REFERENCE_MISSING);
    double[] values = Population.Numeric.CONTINUOUS.draw(random, REFERENCE - missing, 0, 1);
    return new FeatureBaseline("numeric", values.length, missing,
        BaselineBuilder.summarize(values, new int[] {DriftTestSpec.DEFAULT_BINS}), null);
  }

  private static FeatureBaseline categoricalReference(SplittableRandom random, Population.Categorical categories) {
    int missing = missing(random, REFERENCE, REFERENCE_MISSING);
    return new FeatureBaseline("categorical", REFERENCE - missing, missing, null, categories.draw(random, REFERENCE - missing, 0));
  }

  private static FeatureQuality numericWindow(SplittableRandom random, int n, double share) {
    int missing = missing(random, n, share);
    NumericHistogram histogram = new NumericHistogram(WindowSummary.MAX_BUCKETS);
    for (double v : Population.Numeric.CONTINUOUS.draw(random, n - missing, 0, 1)) {
      histogram.add(v);
    }
    return new FeatureQuality(n, missing, 0, missing == n ? null : new NumericSample(histogram.buckets()), null);
  }

  private static FeatureQuality categoricalWindow(SplittableRandom random, Population.Categorical categories, int n,
      double share) {
    int missing = missing(random, n, share);
    Map<String, Long> counts = categories.draw(random, n - missing, 0);
    return new FeatureQuality(n, missing, 0, null, counts);
  }

  /** What the table measures, one paragraph. */
  static String intro() {
    return String.format(Locale.ROOT, """
        A numeric feature (standard normal) and a categorical one (%d categories with Zipf(%s) shares). Every window
        has a reference of its own of %,d rows, each cell missing with probability %s; its constraints are those
        `driftline baseline build` suggests (the reference's range, its categories and its missing share), and the
        checks run with their defaults. Without drift the window's cells are missing with the reference's probability;
        with a change, with a higher one (`missing_share` rows only). A p-value check is `ok` when its rate's
        interval reaches down to its alpha; the share checks have no alpha: their rate is how often the default
        threshold fires on windows drawn from the reference.
        """, CATEGORIES, StatisticsPage.num(Population.Categorical.ZIPF_EXPONENT), REFERENCE, StatisticsPage.num(REFERENCE_MISSING));
  }

  static String table(List<Row> rows) {
    StringBuilder out = new StringBuilder("| feature | window's missing share | window | check | alpha / threshold | flagged"
        + " | rate [95 % CI] | verdict |\n|---|---:|---:|---|---:|---:|---|---|\n");
    for (Row r : rows) {
      out.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %d / %d | %s | %s |%n", r.feature(),
          StatisticsPage.num(r.windowMissing()), r.windowSize(), r.check(), StatisticsPage.num(r.threshold()), r.flagged(),
          r.windows(), StatisticsPage.rate(r.rate(), r.low(), r.high()), verdict(r)));
    }
    return out.toString();
  }

  /** For {@code missing_share} without drift: {@code ok} or {@code above alpha}; power otherwise; the share checks: as measured. */
  static String verdict(Row r) {
    if (!r.noDrift()) {
      return "power";
    }
    if (!r.check().equals(MISSING_SHARE)) {
      return "as measured";
    }
    return StatisticsPage.shown(r.low()) <= r.threshold() ? "ok" : "above alpha";
  }

  /** What the table says, read from its rows. */
  static String findings(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    List<Row> alpha = rows.stream().filter(r -> r.noDrift() && r.check().equals(MISSING_SHARE)).toList();
    if (!alpha.isEmpty()) {
      Row worst = alpha.stream().max(Comparator.comparingDouble(Row::rate)).orElseThrow();
      long ok = alpha.stream().filter(r -> verdict(r).equals("ok")).count();
      out.append(String.format(Locale.ROOT, "- **`missing_share` without drift**: %d of %d rows are `ok`; the highest rate is"
          + " %.3f (%s, window %,d).%n", ok, alpha.size(), worst.rate(), worst.feature(), worst.windowSize()));
    }
    for (String check : rows.stream().filter(r -> r.noDrift() && !r.check().equals(MISSING_SHARE)).map(Row::check)
        .distinct().toList()) {
      Row worst = rows.stream().filter(r -> r.noDrift() && r.check().equals(check)).max(Comparator.comparingDouble(Row::rate))
          .orElseThrow();
      out.append(worst.flagged() == 0
          ? String.format(Locale.ROOT, "- **`%s` without drift** fails in no window at its threshold %s.%n", check,
              StatisticsPage.num(worst.threshold()))
          : String.format(Locale.ROOT, "- **`%s` without drift** fails in at most %.3f of windows (%s, window %,d) at its"
              + " threshold %s.%n", check, worst.rate(), worst.feature(), worst.windowSize(),
              StatisticsPage.num(worst.threshold())));
    }
    for (double share : rows.stream().filter(r -> !r.noDrift()).map(Row::windowMissing).distinct().toList()) {
      List<String> cells = new ArrayList<>();
      for (int n : rows.stream().filter(r -> r.windowMissing() == share).map(Row::windowSize).distinct().toList()) {
        double low = rows.stream().filter(r -> r.windowMissing() == share && r.windowSize() == n).mapToDouble(Row::rate).min()
            .orElseThrow();
        double high = rows.stream().filter(r -> r.windowMissing() == share && r.windowSize() == n).mapToDouble(Row::rate).max()
            .orElseThrow();
        cells.add(low == high ? String.format(Locale.ROOT, "%.3f of windows of %,d", low, n)
            : String.format(Locale.ROOT, "%.3f to %.3f of windows of %,d", low, high, n));
      }
      out.append(String.format(Locale.ROOT, "- **`missing_share` when the missing share rises from %s to %s** fails in %s.%n",
          StatisticsPage.num(REFERENCE_MISSING), StatisticsPage.num(share), String.join(", ", cells)));
    }
    return out.toString();
  }
}
