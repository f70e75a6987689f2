package dev.driftline.cli.calibrate;

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
    return out.toString();
  }

  static String page(CalibrateCommand.CalibrationTables t, Run run) {
    return tables(t);
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
