package dev.driftline.cli.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.RetrainTrigger;
import dev.driftline.core.window.DriftResult;
import dev.driftline.core.window.PerformanceResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a report of the streaming jobs' topics shows, read as the core's records: drift results,
 * performance updates, retrain triggers and alerts, in the order the topics gave them. A document
 * that does not read as its topic's record, or lacks what the page groups it by (model, segment,
 * feature, test, window), is left out and counted in {@link #unreadable}.
 */
public record ReportData(
    List<DriftResult> drift,
    List<PerformanceResult> performance,
    List<RetrainTrigger> triggers,
    List<Alert> alerts,
    int unreadable) {

  /** Reads each topic's documents with the reader of Driftline's own records (newer fields ignored). */
  public static ReportData of(List<JsonNode> drift, List<JsonNode> performance, List<JsonNode> triggers,
      List<JsonNode> alerts) {
    int[] unreadable = {0};
    return new ReportData(
        read(drift, DriftResult.class, r -> allPresent(r.modelId(), r.segment(), r.feature(), r.test(), r.windowStart()),
            unreadable),
        read(performance, PerformanceResult.class, r -> allPresent(r.modelId(), r.segment(), r.windowStart()), unreadable),
        read(triggers, RetrainTrigger.class, r -> allPresent(r.modelId(), r.triggerId()), unreadable),
        read(alerts, Alert.class, r -> allPresent(r.modelId(), r.severity()), unreadable),
        unreadable[0]);
  }

  private static <T> List<T> read(List<JsonNode> documents, Class<T> type, Predicate<T> complete, int[] unreadable) {
    List<T> out = new ArrayList<>(documents.size());
    for (JsonNode d : documents) {
      try {
        T record = Json.records().treeToValue(d, type);
        if (complete.test(record)) {
          out.add(record);
          continue;
        }
      } catch (JsonProcessingException | IllegalArgumentException e) {
        // counted below
      }
      unreadable[0]++;
    }
    return out;
  }

  private static boolean allPresent(Object... values) {
    for (Object v : values) {
      if (v == null) {
        return false;
      }
    }
    return true;
  }
}
