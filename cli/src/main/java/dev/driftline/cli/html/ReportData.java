package dev.driftline.cli.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.RetrainTrigger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

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
        readAll(drift, ReportData::driftResult, unreadable),
        readAll(performance, ReportData::performanceResult, unreadable),
        readAll(triggers, ReportData::retrainTrigger, unreadable),
        readAll(alerts, ReportData::alert, unreadable),
        unreadable[0]);
  }

  /**
   * A {@code drift-results} document as the core's record.
   *
   * @throws IllegalArgumentException saying why it is not one (one line)
   */
  public static DriftResult driftResult(JsonNode document) {
    DriftResult r = read(document, DriftResult.class);
    return complete(r, "model_id", r.modelId(), "segment", r.segment(), "feature", r.feature(), "test", r.test(),
        "window_start", r.windowStart());
  }

  /**
   * A {@code performance} document as the core's record.
   *
   * @throws IllegalArgumentException saying why it is not one (one line)
   */
  public static PerformanceResult performanceResult(JsonNode document) {
    PerformanceResult r = read(document, PerformanceResult.class);
    return complete(r, "model_id", r.modelId(), "segment", r.segment(), "window_start", r.windowStart());
  }

  /**
   * A {@code retrain-triggers} document as the core's record.
   *
   * @throws IllegalArgumentException saying why it is not one (one line)
   */
  public static RetrainTrigger retrainTrigger(JsonNode document) {
    RetrainTrigger r = read(document, RetrainTrigger.class);
    return complete(r, "model_id", r.modelId(), "trigger_id", r.triggerId());
  }

  /**
   * An {@code alerts} document as the core's record.
   *
   * @throws IllegalArgumentException saying why it is not one (one line)
   */
  public static Alert alert(JsonNode document) {
    Alert r = read(document, Alert.class);
    return complete(r, "model_id", r.modelId(), "severity", r.severity());
  }

  private static <T> List<T> readAll(List<JsonNode> documents, Function<JsonNode, T> reader, int[] unreadable) {
    List<T> out = new ArrayList<>(documents.size());
    for (JsonNode d : documents) {
      try {
        out.add(reader.apply(d));
      } catch (IllegalArgumentException e) {
        unreadable[0]++;
      }
    }
    return out;
  }

  private static <T> T read(JsonNode document, Class<T> type) {
    String what = "not a " + type.getSimpleName() + ": ";
    T record;
    try {
      record = Json.records().treeToValue(document, type);
    } catch (JsonProcessingException e) {
      String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
      throw new IllegalArgumentException(what + message.lines().findFirst().orElse(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + e.getMessage());
    }
    if (record == null) {
      throw new IllegalArgumentException(what + "expected an object, got " + Json.describe(document));
    }
    return record;
  }

  /** {@code record} when every value of the (name, value) pairs is present; else which are missing. */
  private static <T> T complete(T record, Object... namesAndValues) {
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] == null) {
        missing.add((String) namesAndValues[i]);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("not a " + record.getClass().getSimpleName() + ": no "
          + String.join(", ", missing));
    }
    return record;
  }
}
