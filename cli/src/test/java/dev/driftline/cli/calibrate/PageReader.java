package dev.driftline.cli.calibrate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the committed STATISTICS.md back into the rows it was rendered from, so tests can render
 * it again and compare the small run's numbers with the page's.
 */
final class PageReader {
  private PageReader() {}

  record Page(String text, CalibrateCommand.CalibrationTables tables, StatisticsPage.Run run) {}

  private static final Pattern HEADER = Pattern.compile("--windows (\\d+) --power-windows (\\d+) --seed (\\d+) --markdown"
      + " STATISTICS.md` on a clean clone of (\\S+) \\((.+), (\\d+) s\\)\\.");
  private static final Pattern REFERENCE = Pattern.compile("reference (\\d+)");
  private static final Pattern COUNT = Pattern.compile("(\\d+) / (\\d+)");
  private static final Pattern RATE = Pattern.compile("([\\d.]+) \\[([\\d.]+), ([\\d.]+)\\]");

  static Page committed() throws java.io.IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("STATISTICS.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no STATISTICS.md above " + Path.of("").toAbsolutePath());
    }
    return read(Files.readString(dir.resolve("STATISTICS.md")));
  }

  static Page read(String text) {
    Matcher h = HEADER.matcher(text);
    if (!h.find()) {
      throw new IllegalArgumentException("STATISTICS.md: first paragraph: expected the calibrate command and run, got none");
    }
    StatisticsPage.Run run = new StatisticsPage.Run(Long.parseLong(h.group(3)), Integer.parseInt(h.group(1)),
        Integer.parseInt(h.group(2)), Double.parseDouble(h.group(6)), h.group(4), h.group(5));
    List<Rows.FalseAlarm> falseAlarms = new ArrayList<>();
    for (String[] c : table(text, "## False alarms: p-value tests")) {
      falseAlarms.add(falseAlarm(c, true, c[7]));
    }
    for (String[] c : table(text, "## False alarms: distances")) {
      falseAlarms.add(falseAlarm(c, false, ""));
    }
    List<Rows.FamilyWise> family = new ArrayList<>();
    for (String[] c : table(text, "## Family-wise false alarms across features")) {
      Rate r = count(c[4]);
      family.add(new Rows.FamilyWise(c[0], Integer.parseInt(c[1]), Integer.parseInt(c[2]), Integer.parseInt(c[3]), "ks",
          r.trials(), r.hits(), r.value(), r.low(), r.high(), Double.parseDouble(c[6])));
    }
    List<Rows.Power> power = new ArrayList<>();
    power(text, "## Power and delay: numeric features", "numeric", run.powerWindows(), power);
    power(text, "## Power and delay: categorical features", "categorical", run.powerWindows(), power);
    List<Rows.SketchPath> sketch = new ArrayList<>();
    for (String[] c : table(text, "## KS through the summaries against KS on raw values")) {
      String[] ref = c[0].split(", ");
      String[] win = c[1].split(", ");
      Matcher m = rate(c[4]);
      sketch.add(new Rows.SketchPath("", Integer.parseInt(ref[0]), ref[1], Integer.parseInt(win[0]), win[1],
          Double.parseDouble(c[2]), Long.parseLong(c[3]), Double.parseDouble(m.group(1)), Double.parseDouble(c[5]),
          Double.parseDouble(c[6]), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))));
    }
    List<Rows.Ert> ert = new ArrayList<>();
    String ertHeading = "## ERT-calibrated CUSUM: asked and realised run length";
    Matcher warmups = Pattern.compile("median \\[lowest, highest\\] of (\\d+) warm-ups").matcher(text);
    for (String[] c : table(text, ertHeading)) {
      if (!warmups.find(text.indexOf(ertHeading))) {
        throw new IllegalArgumentException("STATISTICS.md: " + ertHeading + ": expected the number of warm-ups in the header");
      }
      Matcher m = Pattern.compile("(\\d+) \\[(\\d+), (\\d+)\\]").matcher(c[3]);
      if (!m.matches()) {
        throw new IllegalArgumentException("STATISTICS.md: " + ertHeading + ": expected median [lowest, highest], got " + c[3]);
      }
      ert.add(new Rows.Ert(Integer.parseInt(c[0]), Integer.parseInt(c[1]), Integer.parseInt(warmups.group(1)), c[2],
          Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
          Double.parseDouble(c[4]), c[5], Double.parseDouble(c[6])));
    }
    List<Rows.Online> online = new ArrayList<>();
    for (String[] c : table(text, "## Page–Hinkley and ADWIN on the error rate")) {
      Matcher m = Pattern.compile("([\\d.]+) \\((\\d+) in (\\d+)\\)").matcher(c[3]);
      if (!m.matches()) {
        throw new IllegalArgumentException("STATISTICS.md: online detectors: expected \"rate (k in n)\", got " + c[3]);
      }
      online.add(new Rows.Online(c[0], c[1], c[2], 0, Long.parseLong(m.group(3)), Long.parseLong(m.group(2)),
          Double.parseDouble(m.group(1)), c[4], Double.parseDouble(c[5]), delay(c[6])));
    }
    List<PcaCalibration.Row> pca = new ArrayList<>();
    for (String[] c : table(text, StatisticsPage.PCA_HEADING)) {
      Matcher m = Pattern.compile("\\[([\\d.]+), ([\\d.]+)\\]").matcher(c[5]);
      if (!m.matches()) {
        throw new IllegalArgumentException("STATISTICS.md: pca: expected \"[low, high]\", got " + c[5]);
      }
      pca.add(new PcaCalibration.Row(c[0], c[1], Long.parseLong(c[2]), Long.parseLong(c[3]), Double.parseDouble(c[4]),
          Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))));
    }
    List<DataQualityCalibration.Row> dataQuality = new ArrayList<>();
    for (String[] c : table(text, StatisticsPage.DATA_QUALITY_HEADING)) {
      Rate r = count(c[5]);
      Matcher m = rate(c[6]);
      dataQuality.add(new DataQualityCalibration.Row(c[0], Double.parseDouble(c[1]), Integer.parseInt(c[2]), c[3],
          Double.parseDouble(c[4]), r.trials(), r.hits(), Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
          Double.parseDouble(m.group(3))));
    }
    List<EstimationCalibration.Row> estimation = new ArrayList<>();
    for (String[] c : table(text, StatisticsPage.ESTIMATION_HEADING)) {
      Rate r = count(c[3]);
      Matcher m = rate(c[4]);
      Matcher error = Pattern.compile("([\\d.]+) \\(([\\d.]+)\\)").matcher(c[5]);
      if (!error.matches()) {
        throw new IllegalArgumentException("STATISTICS.md: estimation: expected \"mean (sd)\", got " + c[5]);
      }
      estimation.add(new EstimationCalibration.Row(Integer.parseInt(c[0]), Integer.parseInt(c[1]), c[2], r.trials(), r.hits(),
          Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
          Double.parseDouble(error.group(1)), Double.parseDouble(error.group(2)), Long.parseLong(c[6])));
    }
    return new Page(text, new CalibrateCommand.CalibrationTables(falseAlarms, family, power, sketch, ert, online, pca,
        dataQuality, estimation), run);
  }

  private static Rows.FalseAlarm falseAlarm(String[] c, boolean pValue, String verdict) {
    Matcher m = REFERENCE.matcher(c[0]);
    if (!m.find()) {
      throw new IllegalArgumentException("STATISTICS.md: false alarms: expected \"reference N\" in the regime, got " + c[0]);
    }
    int windowSize = Integer.parseInt(c[0].substring(c[0].lastIndexOf("window ") + "window ".length()));
    Rate r = count(c[5]);
    double threshold = c[4].equals("per test") ? 0 : Double.parseDouble(c[4]);
    double median = pValue ? Double.NaN : Double.parseDouble(c[7]);
    double p95 = pValue ? Double.NaN : Double.parseDouble(c[8]);
    double p99 = pValue ? Double.NaN : Double.parseDouble(c[9]);
    return new Rows.FalseAlarm(c[0], c[0].contains("categories") ? "categorical" : "numeric", Integer.parseInt(m.group(1)),
        c[1], windowSize, c[2], c[3], pValue, threshold, r.trials(), r.hits(), r.value(), r.low(), r.high(), verdict,
        median, p95, p99);
  }

  private static void power(String text, String heading, String feature, int windows, List<Rows.Power> out) {
    List<String[]> rows = table(text, heading);
    String[] header = header(text, heading);
    for (String[] c : rows) {
      for (int i = 2; i < c.length; i++) {
        if (c[i].isEmpty()) {
          continue;
        }
        Matcher m = Pattern.compile("([\\d.]+) \\((never|[\\d.]+)\\)").matcher(c[i]);
        if (!m.matches()) {
          throw new IllegalArgumentException("STATISTICS.md: " + heading + ": expected \"rate (delay)\", got " + c[i]);
        }
        double rate = Double.parseDouble(m.group(1));
        out.add(new Rows.Power(feature, c[0], 0, Integer.parseInt(c[1]), header[i], windows, Math.round(rate * windows), rate,
            Double.NaN, Double.NaN, delay(m.group(2))));
      }
    }
  }

  private static double delay(String cell) {
    return cell.equals("never") ? Double.NaN : Double.parseDouble(cell);
  }

  private static Rate count(String cell) {
    Matcher m = COUNT.matcher(cell);
    if (!m.matches()) {
      throw new IllegalArgumentException("STATISTICS.md: expected \"flagged / windows\", got " + cell);
    }
    return new Rate(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
  }

  private static Matcher rate(String cell) {
    Matcher m = RATE.matcher(cell);
    if (!m.matches()) {
      throw new IllegalArgumentException("STATISTICS.md: expected \"rate [low, high]\", got " + cell);
    }
    return m;
  }

  private static String[] header(String text, String heading) {
    return cells(lines(text, heading).get(0));
  }

  /** The body rows of the table under {@code heading}, cell by cell; empty when the page has no such section. */
  private static List<String[]> table(String text, String heading) {
    List<String> lines = lines(text, heading);
    return lines.size() < 2 ? List.of() : lines.subList(2, lines.size()).stream().map(PageReader::cells).toList();
  }

  private static List<String> lines(String text, String heading) {
    int at = text.indexOf("\n" + heading + "\n");
    if (at < 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String line : text.substring(at + heading.length() + 2).split("\n", -1)) {
      if (line.startsWith("|")) {
        out.add(line);
      } else if (!out.isEmpty()) {
        break;
      }
    }
    return out;
  }

  private static String[] cells(String line) {
    String[] parts = line.substring(1, line.length() - 1).split(" \\| ", -1);
    String[] out = new String[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = parts[i].trim();
    }
    return out;
  }
}
