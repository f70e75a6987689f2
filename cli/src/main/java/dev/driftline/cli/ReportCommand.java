package dev.driftline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.cli.html.FeatureDistribution;
import dev.driftline.cli.html.HtmlReport;
import dev.driftline.cli.html.TopicSnapshot;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.drift.BatchDrift;
import dev.driftline.core.drift.DriftReport;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.io.InputException;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.topics.Topic;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaErrors;
import dev.driftline.runtime.options.KafkaClientOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code driftline report}: batch drift of a current CSV against a baseline. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Drift of every spec feature of a current CSV against a baseline, "
        + "with multiple-testing control; a table on the terminal, the JSON document with --out or --format json. "
        + "With --html: an HTML page of it (reference and current distributions beside the tests); "
        + "with --kafka and --html: an HTML page of what the streaming jobs wrote to their topics.")
final class ReportCommand implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--spec", paramLabel = "SPEC", description = "Monitor spec (YAML).")
  Path specFile;

  @Option(names = {"--baseline", "--reference"}, paramLabel = "BASELINE.json", description = "Baseline from driftline baseline build.")
  Path reference;

  @Option(names = "--current", paramLabel = "CURRENT.csv", description = "Current data with a header row.")
  Path current;

  @Option(names = "--html", paramLabel = "REPORT.html",
      description = "Write a self-contained HTML page: with --kafka, of the streaming jobs' outputs; with --spec, "
          + "--baseline and --current, of the batch report (distributions of every feature beside its tests).")
  Path html;

  @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Kafka whose drift-results, performance, retrain-triggers "
      + "and alerts topics the HTML page shows.")
  String kafka;

  @CommandLine.Mixin KafkaClientOptions kafkaClient = new KafkaClientOptions();

  @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
      description = "What to print (default ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--out", paramLabel = "REPORT.json", description = "Also write the JSON document here.")
  Path out;

  enum Format { table, json }

  @Override
  public Integer call() throws IOException {
    if (kafka != null) {
      if (html == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--kafka needs --html (the page to write)");
      }
      KafkaConfig config;
      try {
        config = KafkaConfig.of(kafka, kafkaClient.properties());
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage());
      }
      List<JsonNode> drift;
      List<JsonNode> performance;
      List<JsonNode> triggers;
      List<JsonNode> alerts;
      try {
        drift = TopicSnapshot.read(config, Topic.DRIFT_RESULTS.defaultName());
        performance = TopicSnapshot.read(config, Topic.PERFORMANCE.defaultName());
        triggers = TopicSnapshot.read(config, Topic.RETRAIN_TRIGGERS.defaultName());
        alerts = TopicSnapshot.read(config, Topic.ALERTS.defaultName());
      } catch (org.apache.kafka.common.KafkaException e) {
        throw new InputException(KafkaErrors.describe(e, config));
      }
      HtmlReport.write(html, drift, performance, triggers, alerts);
      spec.commandLine().getOut().printf("wrote %s: %d drift results, %d performance updates, %d triggers, %d alerts%n",
          html, drift.size(), performance.size(), triggers.size(), alerts.size());
      spec.commandLine().getOut().flush();
      return 0;
    }
    if (specFile == null || reference == null || current == null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "expected --spec, --baseline and --current (a batch report; with --html, also its page), or --html with --kafka");
    }
    MonitorSpec monitor = MonitorSpecParser.load(specFile);
    BaselineFile profile = BaselineFiles.read(reference);
    BaselineFiles.checkCovers(profile, reference.toString(), monitor);
    CsvTable table = CsvTable.read(current);
    DriftReport report = BatchDrift.run(monitor, profile, table);
    PrintWriter w = spec.commandLine().getOut();
    if (out != null) {
      write(report, out);
    }
    if (html != null) {
      try {
        HtmlReport.writeBatch(html, report, FeatureDistribution.of(monitor, profile, table));
      } catch (IOException e) {
        throw new InputException(html + ": cannot write: " + e.getMessage());
      }
    }
    if (format == Format.json) {
      w.println(toJson(report));
    } else {
      printTable(report, w);
      if (out != null) {
        w.println("report written to " + out);
      }
      if (html != null) {
        w.println("page written to " + html);
      }
    }
    w.flush();
    return 0;
  }

  static String toJson(DriftReport report) {
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize a drift report", e);
    }
  }

  static void write(DriftReport report, Path file) {
    try {
      Json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
    } catch (IOException e) {
      throw new InputException(file + ": cannot write: " + e.getMessage());
    }
  }

  static void printTable(DriftReport r, PrintWriter w) {
    w.printf("model %s   profile %s%ncurrent %s (%d rows)   multiple testing: %s%n%n",
        r.modelId(), r.profileId(), r.current(), r.rows(), r.multipleTesting());
    w.printf("%-24s %-12s %-15s %12s %11s %11s %10s %-10s %s%n",
        "feature", "type", "test", "statistic", "p", "adjusted p", "threshold", "method", "drift");
    for (FeatureDrift d : r.results()) {
      w.printf(Locale.ROOT, "%-24s %-12s %-15s %12.6f %11s %11s %10s %-10s %s%n",
          d.feature(), d.featureType(), d.test(), d.statistic(), p(d.pValue()), p(d.adjustedPValue()),
          num(d.threshold()), d.method(), d.isQuality() ? (d.drift() ? "FAILED" : "-")
              : d.drift() ? "DRIFT" + (d.level() != null ? " (" + d.level() + ")" : "")
              : (d.level() != null ? d.level() : "-"));
    }
    w.printf(Locale.ROOT, "%n%d of %d features drifted (%.0f%%)%n", r.featuresDrifted(), r.featuresTested(), 100 * r.driftShare());
  }

  private static String p(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, v < 1e-4 ? "%.3e" : "%.6f", v);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%g", v).replaceAll("\\.?0+$", "");
  }
}
