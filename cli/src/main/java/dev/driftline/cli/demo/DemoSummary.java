package dev.driftline.cli.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.cli.html.HtmlReport;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.PerformanceMetric;
import dev.driftline.core.topics.NamedTopic;
import dev.driftline.core.topics.Topics;
import dev.driftline.core.trigger.RetrainTrigger;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.kafka.KafkaConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The end of the demo: {@code demo-summary.json} and {@code report.html} in its directory, and the
 * closing lines on the console (what was written, where to look).
 */
final class DemoSummary {
  /** Every topic of the catalogue (the demo's feature view is the example view, whose topics are the catalogue's defaults). */
  static final List<String> TOPICS = Topics.defaults().stream().map(NamedTopic::name).toList();
  /** How many records left out the console names; the summary file names them all. */
  static final int UNREADABLE_SHOWN = 3;

  private DemoSummary() {}

  /**
   * The summary: records per output topic, drift-result documents (records by id), the triggers
   * with their reasons, how many windows drifted, the records not readable as Driftline records
   * ({@code topic/partition@offset: reason}), each multiclass model's windows with their realized
   * macro F1, micro F1, accuracy, macro AUC, log loss and recall per class, and the seconds the demo took.
   */
  static ObjectNode of(DemoRecords records, double seconds) {
    ObjectNode summary = Json.mapper().createObjectNode();
    ObjectNode counts = summary.putObject("records");
    for (String topic : DemoRecords.OUTPUTS) {
      counts.put(topic, records.count(topic));
    }
    // Drift results are upserted by id: label drift re-emits a window's __label__ results as late
    // labels arrive, so there are fewer documents than records.
    summary.putObject("documents").put("drift-results", records.drift().stream().map(DriftResult::id).distinct().count());
    ArrayNode triggers = summary.putArray("triggers");
    for (RetrainTrigger t : records.triggers()) {
      ObjectNode o = triggers.addObject().put("trigger_id", t.triggerId()).put("model_id", t.modelId())
          .put("segment", t.segment()).put("window_end", t.trainingTo());
      o.set("reasons", Json.mapper().valueToTree(t.reasons() == null ? List.of() : t.reasons()));
    }
    summary.put("drifted_windows", records.driftedWindows());
    // Per multiclass model, its windows' realized performance: what the console's lines tell.
    ObjectNode multiclass = summary.putObject("multiclass_performance");
    DemoPrinter.multiclassWindows(records.report().performance()).forEach((model, windows) -> {
      ArrayNode rows = multiclass.putArray(model);
      windows.values().forEach(r -> {
        ObjectNode row = rows.addObject().put("window_start", r.windowStart()).put("labelled", r.labelled());
        for (PerformanceMetric m : List.of(PerformanceMetric.MACRO_F1, PerformanceMetric.MICRO_F1,
            PerformanceMetric.ACCURACY, PerformanceMetric.MACRO_AUC, PerformanceMetric.LOG_LOSS)) {
          row.put(m.id(), r.metric(m));
        }
        row.set("class_recall", Json.mapper().valueToTree(r.classRecall()));
      });
    });
    ArrayNode unreadable = summary.putArray("unreadable");
    records.unreadable().forEach(u -> unreadable.add(u.toString()));
    summary.put("seconds", seconds);
    return summary;
  }

  /** Writes the summary and the report into {@code dir} and prints the closing lines. */
  static void write(Path dir, DemoRecords records, DemoConsole console, PrintWriter out, KafkaConfig kafka,
      ElasticsearchConfig es, FeatureView cards) throws IOException {
    Path summaryFile = dir.resolve("demo-summary.json");
    Files.write(summaryFile, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(of(records, console.seconds())));
    Path html = dir.resolve("report.html");
    HtmlReport.write(html, records.report());
    out.println();
    out.printf(Locale.ROOT, "done in %.0f s: %d drift results, %d performance updates, %d alerts, %d retrain triggers, %d new baselines, %d dead letters%n",
        console.seconds(), records.count("drift-results"), records.count("performance"), records.count("alerts"),
        records.count("retrain-triggers"), records.count("baselines"), records.count("dead-letters"));
    List<DemoRecords.Unreadable> unreadable = records.unreadable();
    if (!unreadable.isEmpty()) {
      out.println(unreadableLine(unreadable));
    }
    out.println("where to look:");
    out.println("  report      " + html.toAbsolutePath());
    out.println("  summary     " + summaryFile.toAbsolutePath());
    out.println("  Kafka       " + kafka.bootstrapServers() + "  topics " + String.join(", ", TOPICS));
    out.println("  indices     " + es.describeUrls() + "  driftline-drift-*, driftline-performance-*, driftline-alerts, " + cards.index());
    out.flush();
  }

  /** One line: how many records were left out, the first {@link #UNREADABLE_SHOWN} of them. */
  static String unreadableLine(List<DemoRecords.Unreadable> unreadable) {
    List<String> shown = unreadable.stream().limit(UNREADABLE_SHOWN).map(DemoRecords.Unreadable::toString).toList();
    return unreadable.size() + " output records not readable as Driftline records, left out of the lines above and the report: "
        + String.join("; ", shown) + (unreadable.size() > shown.size() ? "; ... (all in demo-summary.json)" : "");
  }
}
