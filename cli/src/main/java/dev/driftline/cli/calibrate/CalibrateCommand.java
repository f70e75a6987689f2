package dev.driftline.cli.calibrate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code driftline calibrate}: simulates windows with and without drift through the drift tests as
 * the job runs them, prints the tables, writes them as JSON and, with {@code --markdown}, as the
 * statistics page.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Measure false alarms, power and delay of every drift test by simulation; prints tables, writes JSON "
        + "and optionally STATISTICS.md.")
public final class CalibrateCommand implements Callable<Integer> {
  static final String SECTIONS = "false-alarms, family, power, sketch, detectors, pca, data-quality, estimation";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--windows", defaultValue = "1000", description = "No-drift windows per false-alarm cell (default: ${DEFAULT-VALUE}).")
  int windows;

  @Option(names = "--power-windows", defaultValue = "200", description = "Windows per power cell (default: ${DEFAULT-VALUE}).")
  int powerWindows;

  @Option(names = "--seed", defaultValue = "20261205", description = "Seed of every simulation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--sections", split = ",", defaultValue = "false-alarms,family,power,sketch,detectors,pca,data-quality,estimation",
      description = "Which tables: " + SECTIONS + " (default: ${DEFAULT-VALUE}).")
  List<String> sections;

  @Option(names = "--out", paramLabel = "FILE.json", defaultValue = "target/calibrate.json",
      description = "Where to write the tables as JSON (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--markdown", paramLabel = "FILE.md", description = "Also write the tables as a markdown page (e.g. STATISTICS.md).")
  Path markdown;

  @Override
  public Integer call() throws IOException {
    for (String s : sections) {
      if (!List.of(SECTIONS.split(", ")).contains(s)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--sections: expected one of " + SECTIONS + ", got \"" + s + "\"");
      }
    }
    if (windows < 10 || powerWindows < 10) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--windows and --power-windows: expected at least 10");
    }
    DriftTestCalibration calibration = new DriftTestCalibration(seed, windows, powerWindows);
    PrintWriter stdout = spec.commandLine().getOut();
    long started = System.nanoTime();
    CalibrationTables tables = new CalibrationTables(
        sections.contains("false-alarms") ? timed("false alarms", calibration::falseAlarms) : List.of(),
        sections.contains("family") ? timed("family-wise rate", calibration::familyWise) : List.of(),
        sections.contains("power") ? timed("power and delay", calibration::power) : List.of(),
        sections.contains("sketch") ? timed("histogram path", calibration::sketchPath) : List.of(),
        sections.contains("detectors") ? timed("ERT CUSUM", calibration::ert) : List.of(),
        sections.contains("detectors") ? timed("online detectors", calibration::online) : List.of(),
        sections.contains("pca") ? timed("pca reconstruction", () -> PcaCalibration.rows(seed, windows, powerWindows))
            : List.of(),
        sections.contains("data-quality")
            ? timed("data quality", () -> DataQualityCalibration.rows(seed, windows, powerWindows)) : List.of(),
        sections.contains("estimation") ? timed("estimated performance", () -> EstimationCalibration.rows(seed, windows))
            : List.of());
    double seconds = (System.nanoTime() - started) / 1e9;
    String text = StatisticsPage.tables(tables);
    stdout.print(text);
    stdout.flush();
    ObjectNode json = Json.mapper().valueToTree(tables);
    json.put("seed", seed).put("windows", windows).put("power_windows", powerWindows).put("seconds", seconds);
    Path file = out.toAbsolutePath();
    Files.createDirectories(file.getParent());
    Files.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    progress("wrote " + out);
    if (markdown != null) {
      Files.writeString(markdown, StatisticsPage.page(tables, StatisticsPage.Run.describe(seed, windows, powerWindows, seconds)));
      progress("wrote " + markdown);
    }
    return 0;
  }

  private <T> List<T> timed(String what, java.util.function.Supplier<List<T>> section) {
    long started = System.nanoTime();
    List<T> rows = section.get();
    progress(String.format(java.util.Locale.ROOT, "%s: %d rows in %.1f s", what, rows.size(), (System.nanoTime() - started) / 1e9));
    return rows;
  }

  private void progress(String line) {
    spec.commandLine().getErr().println("calibrate: " + line);
    spec.commandLine().getErr().flush();
  }

  /** Everything one run measured. */
  record CalibrationTables(List<Rows.FalseAlarm> falseAlarms, List<Rows.FamilyWise> familyWise, List<Rows.Power> power,
      List<Rows.SketchPath> sketchPath, List<Rows.Ert> ert, List<Rows.Online> online, List<PcaCalibration.Row> pca,
      List<DataQualityCalibration.Row> dataQuality, List<EstimationCalibration.Row> estimation) {}
}
