package dev.driftline.cli.soak;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import dev.driftline.services.FaultNumbers;
import java.util.List;
import java.util.Locale;

/** An overload run as text: a markdown table row per sample, the outcome as the numbers of a reliability row, and JSON. */
final class OverloadReport {
  static final String HEADER = "| s | phase | predictions acknowledged | pendingRecords | group lag | back-pressured ms/s | busiest ms/s"
      + " | results |\n|---:|---|---:|---:|---:|---:|---:|---:|\n";

  private OverloadReport() {}

  static String row(OverloadSample s) {
    return String.format(Locale.ROOT, "| %.1f | %s | %d | %d | %d | %.0f | %.0f | %d |%n", s.seconds(), s.phase(), s.produced(),
        s.pendingRecords(), s.groupLag(), s.backPressuredMsPerSecond(), s.busyMsPerSecond(), s.results());
  }

  /**
   * The outcome of a run.
   *
   * @param predictions predictions written
   * @param labels labels written
   * @param offeredRate predictions per second the traffic was written at: all of them over the time from the
   *     traffic's start until the broker had acknowledged the last (what it reached, not what was asked)
   * @param sustainedRate predictions per second the job got through: all of them over the time from the
   *     traffic's start until its consumer group had committed them all
   * @param results the outputs against the uninterrupted run's, and the catch-up time
   */
  record Outcome(long predictions, long labels, double offeredRate, double sustainedRate, RunResults results, long maxPending,
      long maxGroupLag, double maxBackPressured) {

    double factor() {
      return offeredRate / sustainedRate;
    }

    /** As the numbers column of a RELIABILITY.md row. */
    FaultNumbers numbers() {
      return results.numbers(predictions + labels, String.format(Locale.ROOT, "offered=%.0f/s, sustained=%.0f/s, factor=%.1f,"
          + " max_pending_records=%d, max_group_lag=%d, max_back_pressured=%.0fms/s", offeredRate, sustainedRate, factor(),
          maxPending, maxGroupLag, maxBackPressured));
    }
  }

  static ObjectNode json(ObjectNode settings, List<OverloadSample> samples, Outcome o) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.set("settings", settings);
    ArrayNode s = root.putArray("samples");
    samples.forEach(x -> s.add(Json.mapper().valueToTree(x)));
    ObjectNode outcome = root.putObject("outcome").put("predictions", o.predictions()).put("labels", o.labels())
        .put("offered_rate", o.offeredRate()).put("sustained_rate", o.sustainedRate()).put("factor", o.factor());
    o.results().json(outcome).put("max_pending_records", o.maxPending()).put("max_group_lag", o.maxGroupLag())
        .put("max_back_pressured_ms_per_s", o.maxBackPressured()).put("numbers", o.numbers().toString());
    return root;
  }
}
