package dev.driftline.cli.calibrate;

import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.window.WindowSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The calibration tables as markdown: printed by the command, and the body of STATISTICS.md. */
final class StatisticsPage {
  private StatisticsPage() {}

  /** How a table names a distance whose threshold is applied as configured. */
  static final String FIXED = "size_aware=false";

  /** How and where a run was made. */
  record Run(long seed, int windows, int powerWindows, double seconds, String commit, String machine) {
    static Run describe(long seed, int windows, int powerWindows, double seconds) {
      return new Run(seed, windows, powerWindows, seconds, gitCommit(), thisMachine());
    }

    private static String gitCommit() {
      try {
        Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        return p.waitFor() == 0 ? out : "unknown";
      } catch (java.io.IOException e) {
        return "unknown";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "unknown";
      }
    }

    private static String thisMachine() {
      return Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version");
    }
  }

  static final String PCA_HEADING = "## Multivariate drift: PCA reconstruction error against KS and PSI on each feature";
  static final String DATA_QUALITY_HEADING = "## Data quality: false alarms and power of the checks";
  static final String ESTIMATION_HEADING = "## Estimated performance: coverage and error";

  static String tables(CalibrateCommand.CalibrationTables t) {
    StringBuilder out = new StringBuilder();
    if (!t.falseAlarms().isEmpty()) {
      out.append("## False alarms: p-value tests\n\n").append(pValueTable(t.falseAlarms())).append('\n');
      out.append("## False alarms: distances\n\n").append(distanceTable(t.falseAlarms())).append('\n');
    }
    if (!t.familyWise().isEmpty()) {
      out.append("## Family-wise false alarms across features\n\n").append(familyTable(t.familyWise())).append('\n');
    }
    if (!t.power().isEmpty()) {
      out.append("## Power and delay: numeric features\n\n").append(powerTable(t.power(), "numeric")).append('\n');
      out.append("## Power and delay: categorical features\n\n").append(powerTable(t.power(), "categorical")).append('\n');
    }
    if (!t.sketchPath().isEmpty()) {
      out.append("## KS through the summaries against KS on raw values\n\n").append(sketchTable(t.sketchPath())).append('\n');
    }
    if (!t.ert().isEmpty()) {
      out.append("## ERT-calibrated CUSUM: asked and realised run length\n\n").append(ertTable(t.ert())).append('\n');
    }
    if (!t.online().isEmpty()) {
      out.append("## Page–Hinkley and ADWIN on the error rate\n\n").append(onlineTable(t.online())).append('\n');
    }
    if (!t.pca().isEmpty()) {
      out.append(PCA_HEADING).append("\n\n").append(PcaCalibration.intro()).append('\n')
          .append(PcaCalibration.table(t.pca())).append('\n');
    }
    if (!t.dataQuality().isEmpty()) {
      out.append(DATA_QUALITY_HEADING).append("\n\n").append(DataQualityCalibration.intro()).append('\n')
          .append(DataQualityCalibration.table(t.dataQuality())).append('\n');
    }
    if (!t.estimation().isEmpty()) {
      out.append(ESTIMATION_HEADING).append("\n\n").append(EstimationCalibration.intro()).append('\n')
          .append(EstimationCalibration.table(t.estimation())).append('\n');
    }
    return out.toString();
  }

  static String ertTable(List<Rows.Ert> rows) {
    int warmups = rows.isEmpty() ? 0 : rows.get(0).warmups();
    StringBuilder out = new StringBuilder("| asked (windows) | warm-up windows | in control | realised run length: median [lowest, highest] of "
        + warmups + " warm-ups | mean | after a rise | mean delay (windows) |\n"
        + "|---:|---:|---|---|---:|---|---:|\n");
    for (Rows.Ert r : rows) {
      out.append(String.format(Locale.ROOT, "| %d | %d | %s | %.0f [%.0f, %.0f] | %.0f | %s | %.1f |%n", r.asked(), r.warmupWindows(),
          r.process(), r.medianRealised(), r.lowRealised(), r.highRealised(), r.meanRealised(), r.change(), r.meanDelay()));
    }
    return out.toString();
  }

  static String onlineTable(List<Rows.Online> rows) {
    StringBuilder out = new StringBuilder("| detector | options | in control | false alarms per 1,000 windows | change | detected within 1,000 windows | mean delay (windows) |\n"
        + "|---|---|---|---:|---|---:|---:|\n");
    for (Rows.Online r : rows) {
      out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f (%d in %d) | %s | %.2f | %s |%n", r.detector(), r.settings(),
          r.process(), r.falseAlarmsPer1000(), r.falseAlarms(), r.windows(), r.change(), r.detected(),
          Double.isNaN(r.meanDelay()) ? "never" : String.format(Locale.ROOT, "%.1f", r.meanDelay())));
    }
    return out.toString();
  }

  static String page(CalibrateCommand.CalibrationTables t, Run run) {
    StringBuilder out = new StringBuilder();
    out.append("# Statistics: false alarms, power and delay, measured\n\n");
    out.append(String.format(Locale.ROOT, "Made by `bin/driftline calibrate --windows %d --power-windows %d --seed %d --markdown STATISTICS.md`"
        + " on a clean clone of %s (%s, %.0f s). The same command and seed print the same tables on any number of cores:"
        + " every cell has its own seed, so neither timing nor parallelism changes a number.%n%n",
        run.windows(), run.powerWindows(), run.seed(), run.commit(), run.machine(), run.seconds()));
    out.append("""
        ## How the numbers are made

        Every window goes through the code the drift job runs when a window closes: the reference is a
        profile built as `driftline baseline build` builds it (every value kept up to %,d values,
        a %,d-bucket histogram beyond), the window's numbers go into the window's histogram (every
        value while there are at most %,d distinct ones, *coarsened* buckets beyond), and each test
        reads them through its drift-test class with its default settings. Every window is compared
        with a reference of its own, so windows are independent and a rate's binomial interval is
        honest (windows that share one reference fire together when that reference is unusual).

        - **Regimes.** Continuous numbers (standard normal), integer-valued numbers (Poisson with
          mean 4; ages 18..90), and categories with Zipf(%s) shares (%d to %d categories, the rarest
          below 0.5 %%). References of %s (kept exactly) and %s values (a histogram for
          continuous numbers); windows of %s values.
        - **Rates** are the share of windows flagged, with a 95 %% Wilson interval. A p-value test is
          `ok` when the interval reaches down to its alpha: its false-alarm rate is not above alpha
          beyond what chance explains. `mvn -B verify` runs this command with fewer windows per cell
          and this page's seed (`CalibrationClaimsTest`) and holds every row it runs to this page's
          claim p plus a binomial tolerance of 3 · sqrt(p(1 − p)/n) for its n windows; where the page
          has no claim but a measured rate (power, thresholds applied as they are), the two rates may
          differ by 3 · sqrt(p(1 − p)(1/n + 1/N)), p pooled over both runs.
        - **Distances** (PSI, Jensen–Shannon, Hellinger, normalized Wasserstein) have no alpha: the
          tables give how often the default threshold fires without drift and the no-drift
          distribution (median, 95th and 99th percentiles). By default (`size_aware`, on unless a
          spec says `size_aware: false`) a distance's threshold is raised to its 99th no-drift
          percentile at the window's and reference's sizes: for the binned ones by the chi-square
          approximation (PSI ≈ S, JS divergence ≈ S/8, Hellinger² ≈ S/8, with
          S/(1/n + 1/m) ~ chi²(bins − 1)); for Wasserstein W ≈ 2 · J · sqrt(1/n + 1/m), with
          J = ∫ sqrt(F(1 − F)) dx of the reference (docs/statistics.md derives both). Rows marked
          `size_aware=false` apply the threshold as it is; `psi > %s size_aware=false` is the
          policy's `warn_psi` level read as a flag.
        - **`auto`** is Evidently's choice of test (KS, chi-square or z-test for references of at
          most 1,000 values; normalized Wasserstein or Jensen–Shannon at 0.1 above), each with
          Driftline's defaults, so its distances are size-aware (Evidently applies 0.1 as it is:
          the `size_aware=false` rows).
        - **Delay** is the mean number of windows from the change to the first flag (1 is the first
          window after the change); `never` when no window was flagged.

        """.formatted(NumericSummary.EXACT_LIMIT, NumericSummary.REFERENCE_BUCKETS,
        WindowSummary.MAX_BUCKETS, num(Population.Categorical.ZIPF_EXPONENT), categories().min().orElseThrow(), categories().max().orElseThrow(),
        String.join(", ", thousands(references(true))), list(references(false)), list(windowSizes()), num(DriftTestCalibration.WARN_PSI)));
    out.append(findings(t)).append('\n');
    out.append(tables(t));
    return out.toString();
  }

  private static java.util.stream.IntStream categories() {
    return DriftTestCalibration.categoricalRegimes().stream().mapToInt(DriftTestCalibration.CategoricalRegime::categories);
  }

  /** Reference sizes of the regimes that the profile keeps exactly ({@code exact}) or as a histogram, smallest first. */
  private static java.util.stream.IntStream references(boolean exact) {
    return java.util.stream.Stream.concat(
        DriftTestCalibration.numericRegimes().stream().map(DriftTestCalibration.NumericRegime::referenceSize),
        DriftTestCalibration.categoricalRegimes().stream().map(DriftTestCalibration.CategoricalRegime::referenceSize))
        .mapToInt(Integer::intValue).filter(m -> (m <= NumericSummary.EXACT_LIMIT) == exact).distinct().sorted();
  }

  private static java.util.stream.IntStream windowSizes() {
    return java.util.stream.Stream.concat(
        DriftTestCalibration.numericRegimes().stream().map(DriftTestCalibration.NumericRegime::windowSize),
        DriftTestCalibration.categoricalRegimes().stream().map(DriftTestCalibration.CategoricalRegime::windowSize))
        .mapToInt(Integer::intValue).distinct().sorted();
  }

  private static List<String> thousands(java.util.stream.IntStream values) {
    return values.mapToObj(i -> String.format(Locale.ROOT, "%,d", i)).toList();
  }

  /** "100, 500 and 5,000". */
  private static String list(java.util.stream.IntStream values) {
    List<String> v = thousands(values);
    return v.size() == 1 ? v.get(0) : String.join(", ", v.subList(0, v.size() - 1)) + " and " + v.get(v.size() - 1);
  }

  /**
   * Where the size-aware thresholds flag more than 5 %: when all such rows are categorical, the
   * most values per category any of them had; the chi-square approximation needs about ten.
   */
  private static String whereSizeAwareFails(List<Rows.FalseAlarm> bad) {
    if (!bad.stream().allMatch(r -> r.feature().equals("categorical"))) {
      return "";
    }
    int perCategory = bad.stream().mapToInt(r -> r.windowSize() / Integer.parseInt(r.regime().split(" ", 2)[0])).max().orElseThrow();
    return String.format(Locale.ROOT, " are categorical features with many rare categories in windows of at most %d values per"
        + " category, where the chi-square approximation fails", perCategory);
  }

  /** What the tables say, read from them. */
  static String findings(CalibrateCommand.CalibrationTables t) {
    StringBuilder out = new StringBuilder("## What the tables say\n\n");
    List<Rows.FalseAlarm> pTests = t.falseAlarms().stream().filter(Rows.FalseAlarm::pValueTest).toList();
    if (!pTests.isEmpty()) {
      List<Rows.FalseAlarm> above = pTests.stream().filter(r -> !r.verdict().equals("ok")).toList();
      Rows.FalseAlarm worst = pTests.stream().max(java.util.Comparator.comparingDouble(Rows.FalseAlarm::rate)).orElseThrow();
      out.append(String.format(Locale.ROOT, "- **p-value tests**: %d of %d regime and test rows are `ok`; the highest rate is %.3f"
          + " (%s, %s)%s.%n", pTests.size() - above.size(), pTests.size(), worst.rate(), worst.test(), worst.regime(),
          above.isEmpty() ? "" : "; above alpha: " + String.join("; ", above.stream().map(r -> r.test() + " on " + r.regime()
              + String.format(Locale.ROOT, " (%.3f)", r.rate())).toList())));
    }
    List<Rows.FalseAlarm> fixedMisfires = t.falseAlarms().stream()
        .filter(r -> !r.pValueTest() && r.test().contains(FIXED) && r.rate() > 0.05).toList();
    if (!fixedMisfires.isEmpty()) {
      out.append(String.format(Locale.ROOT, "- **Fixed distance thresholds misfire on small windows**: %d rows flag more than 5 %% of"
          + " no-drift windows, e.g. %s.%n", fixedMisfires.size(), String.join("; ", fixedMisfires.stream().limit(4)
              .map(r -> String.format(Locale.ROOT, "%s on %s: %.3f", r.test(), r.regime(), r.rate())).toList())));
    }
    List<Rows.FalseAlarm> sized = t.falseAlarms().stream()
        .filter(r -> !r.pValueTest() && !r.test().contains(FIXED) && !r.test().equals("auto")).toList();
    if (!sized.isEmpty()) {
      List<Rows.FalseAlarm> bad = sized.stream().filter(r -> r.rate() > 0.05).toList();
      out.append(String.format(Locale.ROOT, "- **Distances at their defaults (size-aware)**: %d of %d rows flag at most 5 %% of"
          + " no-drift windows%s.%n",
          sized.size() - bad.size(), sized.size(), bad.isEmpty() ? "" : "; the rest" + whereSizeAwareFails(bad) + ": "
              + String.join("; ", bad.stream().map(r -> String.format(Locale.ROOT, "%s on %s: %.3f", r.test(), r.regime(),
                  r.rate())).toList()) + (bad.stream().allMatch(r -> r.feature().equals("categorical"))
                  ? ". There, use chi-square (which pools rare categories) or larger windows" : "")));
    }
    List<Rows.FalseAlarm> auto = t.falseAlarms().stream().filter(r -> r.test().equals("auto")).toList();
    if (!auto.isEmpty()) {
      Rows.FalseAlarm worst = auto.stream().max(java.util.Comparator.comparingDouble(Rows.FalseAlarm::rate)).orElseThrow();
      out.append(String.format(Locale.ROOT, "- **`auto`**: at most %.3f of no-drift windows flagged in %d rows (%s).%n", worst.rate(),
          auto.size(), worst.regime()));
    }
    for (Rows.Ert e : t.ert()) {
      out.append(String.format(Locale.ROOT, "- **ERT CUSUM**, asked %d, warm-up of %d windows: median realised run length %.0f"
          + " over %d warm-ups.%n", e.asked(), e.warmupWindows(), e.medianRealised(), e.warmups()));
    }
    for (Rows.FamilyWise f : t.familyWise()) {
      if (!f.method().equals("none")) {
        out.append(String.format(Locale.ROOT, "- **Family-wise, %s**: %d features, windows of %d: %.3f [%.3f, %.3f] of windows"
            + " have any flag.%n", f.method(), f.features(), f.windowSize(), f.rate(), f.low(), f.high()));
      }
    }
    if (!t.sketchPath().isEmpty()) {
      double lost = t.sketchPath().stream().mapToDouble(Rows.SketchPath::lost).max().orElse(0);
      out.append(String.format(Locale.ROOT, "- **The histogram path** loses at most %.3f of KS's detection rate against KS on every"
          + " raw value, in the cells measured.%n", lost));
    }
    out.append(DataQualityCalibration.findings(t.dataQuality()));
    out.append(EstimationCalibration.findings(t.estimation()));
    return out.toString();
  }

  static String pValueTable(List<Rows.FalseAlarm> rows) {
    StringBuilder out = new StringBuilder("| regime | reference | window | test | alpha | flagged | rate [95 % CI] | verdict |\n"
        + "|---|---|---|---|---:|---:|---|---|\n");
    for (Rows.FalseAlarm r : rows) {
      if (r.pValueTest()) {
        out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d / %d | %s | %s |%n", r.regime(), r.reference(),
            r.window(), r.test(), num(r.threshold()), r.flagged(), r.windows(), rate(r.rate(), r.low(), r.high()), r.verdict()));
      }
    }
    return out.toString();
  }

  static String distanceTable(List<Rows.FalseAlarm> rows) {
    StringBuilder out = new StringBuilder("| regime | reference | window | test | threshold | flagged | rate [95 % CI] | median | 95th pct | 99th pct |\n"
        + "|---|---|---|---|---:|---:|---|---:|---:|---:|\n");
    for (Rows.FalseAlarm r : rows) {
      if (!r.pValueTest()) {
        out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d / %d | %s | %s | %s | %s |%n", r.regime(),
            r.reference(), r.window(), r.test(), r.test().equals("auto") ? "per test" : num(r.threshold()), r.flagged(),
            r.windows(), rate(r.rate(), r.low(), r.high()), num(r.median()), num(r.p95()), num(r.p99())));
      }
    }
    return out.toString();
  }

  static String familyTable(List<Rows.FamilyWise> rows) {
    StringBuilder out = new StringBuilder("| correction | features | reference | window | windows with a flag | rate [95 % CI] | mean features flagged |\n"
        + "|---|---:|---:|---:|---:|---|---:|\n");
    for (Rows.FamilyWise r : rows) {
      out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d / %d | %s | %.3f |%n", r.method(), r.features(),
          r.referenceSize(), r.windowSize(), r.flagged(), r.windows(), rate(r.rate(), r.low(), r.high()), r.meanFlagged()));
    }
    return out.toString();
  }

  /** One row per change and window size, one column per test: detection rate and mean delay in windows. */
  static String powerTable(List<Rows.Power> rows, String feature) {
    Set<String> tests = new LinkedHashSet<>();
    Map<String, Map<String, Rows.Power>> byRow = new LinkedHashMap<>();
    for (Rows.Power r : rows) {
      if (r.feature().equals(feature)) {
        tests.add(r.test());
        byRow.computeIfAbsent(r.change() + "|" + r.windowSize(), k -> new LinkedHashMap<>()).put(r.test(), r);
      }
    }
    if (byRow.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("| change | window |");
    StringBuilder rule = new StringBuilder("|---|---:|");
    for (String t : tests) {
      out.append(' ').append(t).append(" |");
      rule.append("---:|");
    }
    out.append('\n').append(rule).append('\n');
    for (Map<String, Rows.Power> row : byRow.values()) {
      Rows.Power first = row.values().iterator().next();
      out.append("| ").append(first.change()).append(" | ").append(first.windowSize()).append(" |");
      for (String t : tests) {
        Rows.Power r = row.get(t);
        out.append(' ').append(r == null ? "" : String.format(Locale.ROOT, "%.2f (%s)", r.rate(),
            Double.isNaN(r.meanDelay()) ? "never" : String.format(Locale.ROOT, "%.1f", r.meanDelay()))).append(" |");
      }
      out.append('\n');
    }
    return out.toString();
  }

  static String sketchTable(List<Rows.SketchPath> rows) {
    StringBuilder out = new StringBuilder("| reference | window | mean shift (sd) | windows | KS as the job runs it [95 % CI] | KS on raw values | lost |\n"
        + "|---|---|---:|---:|---|---:|---:|\n");
    for (Rows.SketchPath r : rows) {
      out.append(String.format(Locale.ROOT, "| %d, %s | %d, %s | %s | %d | %s | %.3f | %+.3f |%n", r.referenceSize(),
          r.reference(), r.windowSize(), r.window(), num(r.shiftSd()), r.windows(),
          rate(r.productRate(), r.productLow(), r.productHigh()), r.rawRate(), r.lost()));
    }
    return out.toString();
  }

  /** {@code v} as a table shows it (three decimals), so that a verdict read from the page is the one written. */
  static double shown(double v) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.3f", v));
  }

  static String rate(double rate, double low, double high) {
    return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", rate, low, high);
  }

  static String num(double v) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    return a >= 0.001 && a < 1e5 ? String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "")
        : String.format(Locale.ROOT, "%.3e", v);
  }

}
