package dev.driftline.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.cli.html.ReportData;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.io.InputException;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.topics.NamedTopic;
import dev.driftline.core.topics.Topic;
import dev.driftline.core.topics.Topics;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.RetrainTrigger;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The records of the demo's output topics as they are read: every record counted per topic; those
 * of the topics the summary, the report and the printer use read as the core's records (with the
 * report's reader, {@link ReportData}), kept in the order read and handed to the {@link DemoPrinter}.
 * A record that does not read as its topic's record is kept as {@link Unreadable}, with where it is
 * and why. Thread-safe.
 */
final class DemoRecords {
  /** The topics the jobs and the trainer write, which the demo follows and the summary counts. */
  static final List<String> OUTPUTS = Topics.defaults().stream().filter(t -> !t.topic().userCreated()).map(NamedTopic::name).toList();
  /** Topics whose records are read; the others (labelled predictions, feature records: many) are only counted. */
  private static final Set<String> READ = Set.of(Topic.DRIFT_RESULTS.defaultName(), Topic.PERFORMANCE.defaultName(),
      Topic.RETRAIN_TRIGGERS.defaultName(), Topic.ALERTS.defaultName(), Topic.BASELINES.defaultName());
  private static final Set<String> REPORTED = Set.of(Topic.DRIFT_RESULTS.defaultName(), Topic.PERFORMANCE.defaultName(),
      Topic.RETRAIN_TRIGGERS.defaultName(), Topic.ALERTS.defaultName());

  /** A record left out: {@code topic/partition@offset: reason}. */
  record Unreadable(String topic, int partition, long offset, String reason) {
    @Override
    public String toString() {
      return topic + "/" + partition + "@" + offset + ": " + reason;
    }
  }

  private final DemoPrinter printer;
  private final Map<String, Integer> counts = new HashMap<>();
  private final List<DriftResult> drift = new ArrayList<>();
  private final List<PerformanceResult> performance = new ArrayList<>();
  private final List<RetrainTrigger> triggers = new ArrayList<>();
  private final List<Alert> alerts = new ArrayList<>();
  private final List<Unreadable> unreadable = new ArrayList<>();

  DemoRecords(DemoPrinter printer) {
    this.printer = printer;
  }

  /** One record of an output topic, {@code value} its bytes (null for a tombstone). */
  synchronized void accept(String topic, int partition, long offset, byte[] value) {
    counts.merge(topic, 1, Integer::sum);
    if (!READ.contains(topic)) {
      return;
    }
    String where = topic + "/" + partition + "@" + offset;
    try {
      if (topic.equals(Topic.BASELINES.defaultName())) {
        printer.baseline(BaselineFiles.read(where, new ByteArrayInputStream(value == null ? new byte[0] : value)));
        return;
      }
      JsonNode document = value == null ? null : Json.mapper().readTree(value);
      if (document == null || document.isMissingNode()) {
        throw new IllegalArgumentException("no value");
      }
      switch (topic) {
        case "drift-results" -> keep(drift, ReportData.driftResult(document), printer::drift);
        case "performance" -> keep(performance, ReportData.performanceResult(document), printer::performance);
        case "retrain-triggers" -> keep(triggers, ReportData.retrainTrigger(document), printer::trigger);
        case "alerts" -> keep(alerts, ReportData.alert(document), printer::alert);
        default -> throw new IllegalStateException("no reader for " + topic);
      }
    } catch (IOException e) {
      unreadable.add(new Unreadable(topic, partition, offset, Json.invalid(e)));
    } catch (IllegalArgumentException e) {
      unreadable.add(new Unreadable(topic, partition, offset, e.getMessage()));
    } catch (InputException e) {
      // The profile reader's message starts with the source it was given: where, which the entry names already.
      String reason = e.getMessage();
      unreadable.add(new Unreadable(topic, partition, offset,
          reason.startsWith(where + ": ") ? reason.substring(where.length() + 2) : reason));
    }
  }

  private static <T> void keep(List<T> into, T record, Consumer<T> print) {
    into.add(record);
    print.accept(record);
  }

  /** The records read are all there are: the printer tells the windows still open. */
  synchronized void finish() {
    printer.finish();
  }

  synchronized int count(String topic) {
    return counts.getOrDefault(topic, 0);
  }

  synchronized List<DriftResult> drift() {
    return List.copyOf(drift);
  }

  synchronized List<RetrainTrigger> triggers() {
    return List.copyOf(triggers);
  }

  /** The records left out, in the order read. */
  synchronized List<Unreadable> unreadable() {
    return List.copyOf(unreadable);
  }

  /** What the report shows; its count of unreadable documents is those of the report's topics. */
  synchronized ReportData report() {
    return new ReportData(List.copyOf(drift), List.copyOf(performance), List.copyOf(triggers), List.copyOf(alerts),
        (int) unreadable.stream().filter(u -> REPORTED.contains(u.topic())).count());
  }

  synchronized int driftedWindows() {
    return printer.driftedWindows();
  }
}
