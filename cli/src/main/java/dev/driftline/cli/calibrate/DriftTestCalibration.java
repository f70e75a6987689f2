package dev.driftline.cli.calibrate;

import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.detect.detectors.AdwinDetector;
import dev.driftline.core.detect.detectors.ErtCusumDetector;
import dev.driftline.core.detect.detectors.PageHinkleyDetector;
import dev.driftline.core.drift.DriftTests;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.stats.MultipleTestingMethod;
import dev.driftline.core.window.WindowSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
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
record DriftTestCalibration(long seed, int windows, int powerWindows) {

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
    return List.of(spec("ks"), spec("psi"), fixed("psi"), warnPsi(), spec("jensen_shannon"), fixed("jensen_shannon"),
        spec("hellinger"), fixed("hellinger"), spec("wasserstein"), fixed("wasserstein"), spec("auto"));
  }

  static List<DriftTestSpec> categoricalTests(int categories) {
    List<DriftTestSpec> tests = new ArrayList<>(List.of(spec("chi2"), spec("chi2").withOption("min_expected", 0)));
    if (categories == 2) {
      tests.add(spec("ztest"));
    }
    tests.addAll(List.of(spec("psi"), fixed("psi"), warnPsi(), spec("jensen_shannon"), fixed("jensen_shannon"),
        spec("hellinger"), fixed("hellinger"), spec("auto")));
    return tests;
  }

  /** The policy's PSI warning level applied as it is, as a flag. */
  private static DriftTestSpec warnPsi() {
    return new DriftTestSpec(DriftTests.get("psi"), WARN_PSI, DriftTestSpec.DEFAULT_BINS).withOption("size_aware", 0);
  }

  /** A distance with its default threshold applied as it is ({@code size_aware: false}). */
  private static DriftTestSpec fixed(String id) {
    return spec(id).withOption("size_aware", 0);
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

  /** Predictions per window and their in-control error rate in the detector tables. */
  static final int PREDICTIONS_PER_WINDOW = 200;
  static final double IN_CONTROL_ERROR = 0.1;

  private static double errorRate(SplittableRandom random, double p) {
    int errors = 0;
    for (int i = 0; i < PREDICTIONS_PER_WINDOW; i++) {
      errors += random.nextDouble() < p ? 1 : 0;
    }
    return (double) errors / PREDICTIONS_PER_WINDOW;
  }

  private static String process(double p) {
    return String.format(Locale.ROOT, "error rate %.2f, %d predictions per window", p, PREDICTIONS_PER_WINDOW);
  }

  /**
   * The ERT CUSUM as the policy runs it: calibrated on a warm-up of in-control windows, then run on
   * fresh in-control windows (the realised run length between false alarms) and on windows whose
   * error rate rose to 0.15 (the delay). {@link #ertWarmups()} warm-ups per cell show how much the
   * warm-up's luck moves the realised run length, and give its median across warm-ups.
   */
  List<Rows.Ert> ert() {
    List<Supplier<List<Rows.Ert>>> cells = new ArrayList<>();
    int warmups = ertWarmups();
    int runs = 200;
    double risen = 0.15;
    for (int asked : new int[] {100, 500}) {
      for (int warmupWindows : new int[] {100, 300}) {
        cells.add(() -> {
          double[] realised = new double[warmups];
          double delay = 0;
          for (int w = 0; w < warmups; w++) {
            long cell = Simulation.seed(seed, "ert " + asked + " " + warmupWindows + " " + w);
            SplittableRandom random = new SplittableRandom(cell);
            double[] warmup = new double[warmupWindows];
            for (int i = 0; i < warmupWindows; i++) {
              warmup[i] = errorRate(random, IN_CONTROL_ERROR);
            }
            ErtCusumDetector.Calibration c = ErtCusumDetector.calibrate(warmup, asked, random.nextLong());
            realised[w] = ErtCusumDetector.runLength(c, r -> errorRate(r, IN_CONTROL_ERROR), runs,
                (long) ErtCusumDetector.CAP_FACTOR * asked, random.nextLong()).mean();
            delay += ErtCusumDetector.runLength(c, r -> errorRate(r, risen), runs,
                (long) ErtCusumDetector.CAP_FACTOR * asked, random.nextLong()).mean();
          }
          double[] sorted = realised.clone();
          java.util.Arrays.sort(sorted);
          double median = (sorted[warmups / 2 - 1] + sorted[warmups / 2]) / 2;
          return List.of(new Rows.Ert(asked, warmupWindows, warmups, process(IN_CONTROL_ERROR), median, sorted[0],
              sorted[warmups - 1], java.util.Arrays.stream(realised).average().orElseThrow(),
              String.format(Locale.ROOT, "error rate %.2f -> %.2f", IN_CONTROL_ERROR, risen), delay / warmups));
        });
      }
    }
    return parallel(cells);
  }

  /** Warm-ups per ERT cell: one per ten no-drift windows asked for, at least 10 (an even number, for the median). */
  int ertWarmups() {
    return Math.max(10, windows / 20 * 2);
  }

  /** Page–Hinkley and ADWIN with their default options: false alarms in control, detection and delay after a rise. */
  List<Rows.Online> online() {
    record Detector(String name, String settings, java.util.function.Supplier<Object> start,
        java.util.function.BiPredicate<Object, Double> update) {}
    PageHinkleyDetector.Options ph = new PageHinkleyDetector.Options(0.005, 0.5, 5);
    AdwinDetector.Options adwin = new AdwinDetector.Options(0.002, 5);
    List<Detector> detectors = List.of(
        new Detector("page_hinkley", "delta 0.005, lambda 0.5, min_windows 5", () -> PageHinkleyDetector.INSTANCE.start(ph, 0),
            (state, v) -> PageHinkleyDetector.INSTANCE.update(ph, (PageHinkleyDetector.State) state, v).fired()),
        new Detector("adwin", "delta 0.002, min_windows 5", () -> AdwinDetector.INSTANCE.start(adwin, 0),
            (state, v) -> AdwinDetector.INSTANCE.update(adwin, (AdwinDetector.State) state, v).fired()));
    int inControlStreams = 20;
    int inControlWindows = 1_000;
    int changeStreams = 100;
    int before = 500;
    int after = 1_000;
    List<Supplier<List<Rows.Online>>> cells = new ArrayList<>();
    for (Detector d : detectors) {
      for (double risen : new double[] {0.12, 0.15, 0.2}) {
        cells.add(() -> {
          long alarms = 0;
          SplittableRandom random = new SplittableRandom(Simulation.seed(seed, "online " + d.name() + " " + risen));
          for (int s = 0; s < inControlStreams; s++) {
            Object state = d.start().get();
            for (int w = 0; w < inControlWindows; w++) {
              alarms += d.update().test(state, errorRate(random, IN_CONTROL_ERROR)) ? 1 : 0;
            }
          }
          long detected = 0;
          long delays = 0;
          for (int s = 0; s < changeStreams; s++) {
            Object state = d.start().get();
            for (int w = 0; w < before; w++) {
              d.update().test(state, errorRate(random, IN_CONTROL_ERROR));
            }
            for (int w = 1; w <= after; w++) {
              if (d.update().test(state, errorRate(random, risen))) {
                detected++;
                delays += w;
                break;
              }
            }
          }
          long windows = (long) inControlStreams * inControlWindows;
          return List.of(new Rows.Online(d.name(), d.settings(), process(IN_CONTROL_ERROR), inControlStreams, windows, alarms,
              1000.0 * alarms / windows, String.format(Locale.ROOT, "error rate %.2f -> %.2f after %d windows", IN_CONTROL_ERROR,
                  risen, before), (double) detected / changeStreams, detected == 0 ? Double.NaN : (double) delays / detected));
        });
      }
    }
    return parallel(cells);
  }

  /** Runs the cells on all cores; the result keeps the cells' order. */
  static <T> List<T> parallel(List<Supplier<List<T>>> cells) {
    return IntStream.range(0, cells.size()).parallel().mapToObj(i -> cells.get(i).get()).toList().stream()
        .flatMap(List::stream).toList();
  }
}
