package dev.driftline.cli.calibrate;

import dev.driftline.core.drift.DriftTests;
import dev.driftline.core.profile.NumericSummary;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.stats.MultipleTestingMethod;
import dev.driftline.core.window.WindowSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The calibration tables: false alarms per test and regime, the family-wise rate across features,
 * power and delay per change, and what the histogram path costs KS. Every cell has its own seed
 * derived from the run's seed and the cell's name, so a table is the same on every run and on any
 * number of cores.
 *
 * @param windows no-drift windows per false-alarm cell (and per family-wise method)
 * @param powerWindows windows per power cell
 */
record Calibration(long seed, int windows, int powerWindows) {

  /** The profile's PSI warning level ({@code policy.warn_psi}), read as a flag to show how often it fires without drift. */
  static final double WARN_PSI = 0.1;

  /** Reference sizes: one kept exactly by the profile, one kept as a histogram. */
  static final int SMALL_REFERENCE = 5_000;
  static final int LARGE_REFERENCE = 50_000;

  record NumericRegime(Population.Numeric population, int referenceSize, int windowSize) {
    String name() {
      return population.label + ", reference " + referenceSize + ", window " + windowSize;
    }
  }

  record CategoricalRegime(int categories, int referenceSize, int windowSize) {
    String name() {
      return categories + " categories, reference " + referenceSize + ", window " + windowSize;
    }
  }

  static List<NumericRegime> numericRegimes() {
    return List.of(
        new NumericRegime(Population.Numeric.CONTINUOUS, SMALL_REFERENCE, 100),
        new NumericRegime(Population.Numeric.CONTINUOUS, SMALL_REFERENCE, 500),
        new NumericRegime(Population.Numeric.CONTINUOUS, SMALL_REFERENCE, 5_000),
        new NumericRegime(Population.Numeric.CONTINUOUS, LARGE_REFERENCE, 100),
        new NumericRegime(Population.Numeric.CONTINUOUS, LARGE_REFERENCE, 500),
        new NumericRegime(Population.Numeric.CONTINUOUS, LARGE_REFERENCE, 5_000),
        new NumericRegime(Population.Numeric.COUNTS, LARGE_REFERENCE, 100),
        new NumericRegime(Population.Numeric.COUNTS, LARGE_REFERENCE, 5_000),
        new NumericRegime(Population.Numeric.AGES, SMALL_REFERENCE, 500),
        new NumericRegime(Population.Numeric.AGES, LARGE_REFERENCE, 5_000));
  }

  static List<CategoricalRegime> categoricalRegimes() {
    return List.of(
        new CategoricalRegime(2, LARGE_REFERENCE, 500),
        new CategoricalRegime(5, 1_000, 500),
        new CategoricalRegime(5, LARGE_REFERENCE, 100),
        new CategoricalRegime(5, LARGE_REFERENCE, 500),
        new CategoricalRegime(20, LARGE_REFERENCE, 100),
        new CategoricalRegime(20, LARGE_REFERENCE, 500),
        new CategoricalRegime(20, LARGE_REFERENCE, 5_000),
        new CategoricalRegime(50, LARGE_REFERENCE, 100),
        new CategoricalRegime(50, LARGE_REFERENCE, 500),
        new CategoricalRegime(50, LARGE_REFERENCE, 5_000));
  }

  static List<DriftTestSpec> numericTests() {
    return List.of(spec("ks"), spec("psi"), warnPsi(), sizeAware("psi"), spec("jensen_shannon"), sizeAware("jensen_shannon"),
        spec("hellinger"), sizeAware("hellinger"), spec("wasserstein"), spec("auto"));
  }

  static List<DriftTestSpec> categoricalTests(int categories) {
    List<DriftTestSpec> tests = new ArrayList<>(List.of(spec("chi2"), spec("chi2").withOption("min_expected", 0)));
    if (categories == 2) {
      tests.add(spec("ztest"));
    }
    tests.addAll(List.of(spec("psi"), warnPsi(), sizeAware("psi"), spec("jensen_shannon"), sizeAware("jensen_shannon"),
        spec("hellinger"), sizeAware("hellinger"), spec("auto")));
    return tests;
  }

  private static DriftTestSpec warnPsi() {
    return new DriftTestSpec(DriftTests.get("psi"), WARN_PSI, DriftTestSpec.DEFAULT_BINS);
  }

  private static DriftTestSpec sizeAware(String id) {
    return spec(id).withOption("size_aware", 1);
  }

  private static DriftTestSpec spec(String id) {
    return DriftTests.get(id).defaults();
  }

  /** No-drift rejection rates for every numeric and categorical regime. */
  List<Rows.FalseAlarm> falseAlarms() {
    List<Supplier<List<Rows.FalseAlarm>>> cells = new ArrayList<>();
    for (NumericRegime r : numericRegimes()) {
      cells.add(() -> {
        List<DriftTestSpec> tests = numericTests();
        Map<String, Outcomes> out = Simulation.numeric(r.population(), r.referenceSize(), r.windowSize(), 0, 1, windows,
            Simulation.seed(seed, "false alarms " + r.name()), tests, false);
        String reference = r.population() == Population.Numeric.CONTINUOUS && r.referenceSize() > NumericSummary.EXACT_LIMIT
            ? "histogram" : "exact";
        String window = r.population() == Population.Numeric.CONTINUOUS && r.windowSize() > WindowSummary.MAX_BUCKETS
            ? "coarsened" : "exact";
        return rows(r.name(), "numeric", r.referenceSize(), reference, r.windowSize(), window, tests, out);
      });
    }
    for (CategoricalRegime r : categoricalRegimes()) {
      cells.add(() -> {
        List<DriftTestSpec> tests = categoricalTests(r.categories());
        Map<String, Outcomes> out = Simulation.categorical(new Population.Categorical(r.categories()), r.referenceSize(),
            r.windowSize(), 0, windows, Simulation.seed(seed, "false alarms " + r.name()), tests);
        return rows(r.name(), "categorical", r.referenceSize(), "counts", r.windowSize(), "counts", tests, out);
      });
    }
    return parallel(cells);
  }

  private static List<Rows.FalseAlarm> rows(String regime, String feature, int m, String reference, int n, String window,
      List<DriftTestSpec> tests, Map<String, Outcomes> out) {
    List<Rows.FalseAlarm> rows = new ArrayList<>();
    for (DriftTestSpec t : tests) {
      String name = Simulation.label(t);
      Outcomes o = out.get(name);
      Rate rate = o.rate();
      boolean pValue = t.test().isPValueTest();
      String verdict = pValue
          ? (rate.low() <= t.threshold() ? "ok" : "above alpha")
          : rate.value() == 0 ? "never" : rate.value() < 0.01 ? "rare" : rate.value() < 0.05 ? "sometimes" : "often";
      rows.add(new Rows.FalseAlarm(regime, feature, m, reference, n, window, name, pValue,
          Double.isNaN(t.threshold()) ? 0 : t.threshold(), rate.trials(), rate.hits(), rate.value(), rate.low(), rate.high(),
          verdict, o.quantile(0.5), o.quantile(0.95), o.quantile(0.99)));
    }
    return rows;
  }

  /** Family-wise false-alarm rate per window across 20 features, KS at alpha 0.05, per correction. */
  List<Rows.FamilyWise> familyWise() {
    int features = 20;
    List<Supplier<List<Rows.FamilyWise>>> cells = new ArrayList<>();
    for (int n : new int[] {500, 5_000}) {
      cells.add(() -> {
        DriftTestSpec ks = spec("ks");
        Map<MultipleTestingMethod, Outcomes> out = Simulation.family(features, SMALL_REFERENCE, n, windows,
            Simulation.seed(seed, "family " + n), ks);
        List<Rows.FamilyWise> rows = new ArrayList<>();
        out.forEach((method, o) -> {
          Rate rate = o.rate();
          double mean = java.util.Arrays.stream(o.statistics()).average().orElse(0);
          rows.add(new Rows.FamilyWise(method.name().toLowerCase(Locale.ROOT), features, SMALL_REFERENCE, n, "ks",
              rate.trials(), rate.hits(), rate.value(), rate.low(), rate.high(), mean));
        });
        return rows;
      });
    }
    return parallel(cells);
  }

  /** Detection rate and delay per change, window size and test. */
  List<Rows.Power> power() {
    List<Supplier<List<Rows.Power>>> cells = new ArrayList<>();
    record NumericChange(String name, double shiftSd, double scale) {}
    List<NumericChange> changes = List.of(new NumericChange("mean +0.1 sd", 0.1, 1), new NumericChange("mean +0.25 sd", 0.25, 1),
        new NumericChange("mean +0.5 sd", 0.5, 1), new NumericChange("mean +1 sd", 1, 1),
        new NumericChange("spread x1.25", 0, 1.25), new NumericChange("spread x1.5", 0, 1.5));
    int[] sizes = {100, 500, 5_000};
    for (NumericChange c : changes) {
      for (int n : sizes) {
        cells.add(() -> {
          List<DriftTestSpec> tests = numericTests();
          Map<String, Outcomes> out = Simulation.numeric(Population.Numeric.CONTINUOUS, LARGE_REFERENCE, n, c.shiftSd(),
              c.scale(), powerWindows, Simulation.seed(seed, "power " + c.name() + " " + n), tests, false);
          return powerRows("numeric", c.name(), LARGE_REFERENCE, n, tests, out);
        });
      }
    }
    for (int k : new int[] {5, 20}) {
      for (double epsilon : new double[] {0.1, 0.3}) {
        Population.Categorical population = new Population.Categorical(k);
        String name = String.format(Locale.ROOT, "%d categories, mix %.0f%% to uniform (TV %.3f)", k, 100 * epsilon,
            population.totalVariation(epsilon));
        for (int n : sizes) {
          cells.add(() -> {
            List<DriftTestSpec> tests = categoricalTests(k);
            Map<String, Outcomes> out = Simulation.categorical(population, LARGE_REFERENCE, n, epsilon, powerWindows,
                Simulation.seed(seed, "power " + name + " " + n), tests);
            return powerRows("categorical", name, LARGE_REFERENCE, n, tests, out);
          });
        }
      }
    }
    return parallel(cells);
  }

  private static List<Rows.Power> powerRows(String feature, String change, int m, int n, List<DriftTestSpec> tests,
      Map<String, Outcomes> out) {
    List<Rows.Power> rows = new ArrayList<>();
    for (DriftTestSpec t : tests) {
      String name = Simulation.label(t);
      Outcomes o = out.get(name);
      Rate rate = o.rate();
      rows.add(new Rows.Power(feature, change, m, n, name, rate.trials(), rate.hits(), rate.value(), rate.low(),
          rate.high(), o.meanDelay()));
    }
    return rows;
  }

  /** KS through the profile's and the window's summaries against KS on the raw values, with and without a shift. */
  List<Rows.SketchPath> sketchPath() {
    List<Supplier<List<Rows.SketchPath>>> cells = new ArrayList<>();
    for (int m : new int[] {SMALL_REFERENCE, LARGE_REFERENCE}) {
      for (int n : new int[] {500, 5_000}) {
        for (double shift : new double[] {0, 0.05, 0.1}) {
          cells.add(() -> {
            int runs = shift == 0 ? windows : powerWindows;
            Map<String, Outcomes> out = Simulation.numeric(Population.Numeric.CONTINUOUS, m, n, shift, 1, runs,
                Simulation.seed(seed, "sketch " + m + " " + n + " " + shift), List.of(spec("ks")), true);
            Rate product = out.get("ks").rate();
            Rate raw = out.get(Simulation.KS_RAW).rate();
            return List.of(new Rows.SketchPath("continuous (normal)", m, m > NumericSummary.EXACT_LIMIT ? "histogram" : "exact",
                n, n > WindowSummary.MAX_BUCKETS ? "coarsened" : "exact", shift, runs, product.value(), raw.value(),
                raw.value() - product.value(), product.low(), product.high()));
          });
        }
      }
    }
    return parallel(cells);
  }

  /** Runs the cells on all cores; the result keeps the cells' order. */
  private static <T> List<T> parallel(List<Supplier<List<T>>> cells) {
    return IntStream.range(0, cells.size()).parallel().mapToObj(i -> cells.get(i).get()).toList().stream()
        .flatMap(List::stream).toList();
  }
}
