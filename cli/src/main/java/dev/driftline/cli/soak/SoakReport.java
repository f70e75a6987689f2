package dev.driftline.cli.soak;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import dev.driftline.services.FaultNumbers;
import java.util.List;
import java.util.Locale;

/**
 * A soak run as text: one markdown table row per sample, the trends, the outcome as the numbers of a
 * reliability row, and the whole run as JSON.
 */
final class SoakReport {
  static final String HEADER = "| minute | heap after GC MiB | state KiB | checkpoint KiB | checkpoint ms | checkpoints"
      + " | latency s | results | lag | predictions |\n"
      + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";

  private SoakReport() {}

  /**
   * What the run put out once it caught up.
   *
   * @param predictions predictions written
   * @param labels labels written
   * @param results the drift results against the uninterrupted run's, dead letters, restarts, catch-up time
   * @param lagLeft input records the job's consumer group had not committed when the catch-up timed out; 0 when it caught up
   */
  record Outcome(long predictions, long labels, RunResults results, long lagLeft) {

    /** As the numbers column of a RELIABILITY.md row, with the slopes' verdict. */
    FaultNumbers numbers(List<Trend> trends) {
      return results.numbers(predictions + labels, "slopes=" + verdict(trends));
    }
  }

  /** {@code ok} when no slope exceeds its bound, else {@code grows:} and the measures that do, joined by {@code +}. */
  static String verdict(List<Trend> trends) {
    List<String> growing = trends.stream().filter(Trend::exceeded).map(Trend::measure).toList();
    return growing.isEmpty() ? "ok" : "grows:" + String.join("+", growing);
  }

  static String row(SoakSample s) {
    return String.format(Locale.ROOT, "| %.2f | %.1f | %s | %s | %s | %d | %s | %d | %d | %d |%n", s.minute(),
        s.heapAfterGcBytes() / 1048576.0, kib(s.stateBytes()), kib(s.checkpointBytes()), orDash(s.checkpointMillis()),
        s.checkpoints(), s.latencyMillis() == null ? "-" : String.format(Locale.ROOT, "%.1f", s.latencyMillis() / 1000.0),
        s.results(), s.lag(), s.produced());
  }

  /** The trends as a table: slope per minute in the measure's own unit, the bound, and the verdict. */
  static String trends(List<Trend> trends) {
    StringBuilder out = new StringBuilder("| measure | slope per minute | bound | |\n|---|---:|---:|---|\n");
    for (Trend t : trends) {
      out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", t.measure(),
          Double.isNaN(t.slopePerMinute()) ? "-" : String.format(Locale.ROOT, "%.1f", t.slopePerMinute()),
          t.bound() == null ? "-" : String.format(Locale.ROOT, "%.0f", t.bound()), t.exceeded() ? "GROWS" : "ok"));
    }
    return out.toString();
  }

  static ObjectNode json(ObjectNode settings, List<SoakSample> samples, List<Trend> trends, Outcome o) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.set("settings", settings);
    ArrayNode s = root.putArray("samples");
    samples.forEach(x -> s.add(Json.mapper().valueToTree(x)));
    ArrayNode t = root.putArray("trends");
    for (Trend x : trends) {
      ObjectNode n = t.addObject().put("measure", x.measure()).put("exceeded", x.exceeded());
      if (Double.isNaN(x.slopePerMinute())) {
        n.putNull("slope_per_minute");
      } else {
        n.put("slope_per_minute", x.slopePerMinute());
      }
      if (x.bound() == null) {
        n.putNull("bound");
      } else {
        n.put("bound", x.bound());
      }
    }
    ObjectNode outcome = root.putObject("outcome").put("predictions", o.predictions()).put("labels", o.labels());
    o.results().json(outcome).put("lag_left", o.lagLeft()).put("slopes", verdict(trends))
        .put("numbers", o.numbers(trends).toString());
    return root;
  }

  private static String kib(Long bytes) {
    return bytes == null ? "-" : String.format(Locale.ROOT, "%.0f", bytes / 1024.0);
  }

  private static String orDash(Long v) {
    return v == null ? "-" : Long.toString(v);
  }
}
