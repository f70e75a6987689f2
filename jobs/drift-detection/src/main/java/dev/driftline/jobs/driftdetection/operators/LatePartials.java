package dev.driftline.jobs.driftdetection.operators;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.window.PerformanceWindow;
import dev.driftline.core.window.WindowSummary;
import dev.driftline.jobs.driftdetection.state.Partials;
import dev.driftline.runtime.deadletter.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.util.OutputTag;

/**
 * Predictions that reached a keyed window after it closed: the watermark had passed the window's
 * end plus its allowed lateness, so Flink would drop them. They arrive here as the partials that
 * hold them (one per bundle, window and segment) and leave as dead letters that say how many
 * predictions of which window were not counted, so late data is never lost without a trace.
 */
public final class LatePartials {
  public static final OutputTag<WindowPartial<WindowSummary>> DRIFT =
      new OutputTag<>("late-drift-partials", Partials.drift());
  public static final OutputTag<WindowPartial<PerformanceWindow>> PERFORMANCE =
      new OutputTag<>("late-performance-partials", Partials.performance());

  private LatePartials() {}

  /** A dead letter for predictions that missed their drift window. */
  public static DeadLetter drift(WindowPartial<WindowSummary> p, Duration lateness) {
    return deadLetter("window:drift", p, p.summary().count(), lateness,
        "the window's drift results do not count them (window.allowed_lateness " + lateness + ")");
  }

  /** A dead letter for predictions (labelled or not) that missed their performance window. */
  public static DeadLetter performance(WindowPartial<PerformanceWindow> p, Duration lateness) {
    return deadLetter("window:performance", p, p.summary().predictions(), lateness,
        "the window's performance does not count them (labels.max_delay " + lateness + ")");
  }

  private static DeadLetter deadLetter(String stage, WindowPartial<?> p, long predictions, Duration lateness,
      String consequence) {
    int bar = p.key().indexOf('|');
    String model = bar < 0 ? p.key() : p.key().substring(0, bar);
    String segment = bar < 0 ? "" : p.key().substring(bar + 1);
    ObjectNode value = Json.mapper().createObjectNode()
        .put("model_id", model).put("segment", segment)
        .put("window_start", p.start()).put("window_end", p.end())
        .put("predictions", predictions).put("allowed_lateness_ms", lateness.toMillis());
    String reason = predictions + " predictions of model \"" + model + "\" (segment " + segment + ") in the window ["
        + Instant.ofEpochMilli(p.start()) + ", " + Instant.ofEpochMilli(p.end())
        + ") arrived after it closed, when the watermark had passed its end plus " + lateness + "; " + consequence;
    return new DeadLetter(stage, reason, null, -1, -1, p.key().getBytes(StandardCharsets.UTF_8),
        Json.bytes(value), p.end() - 1, System.currentTimeMillis());
  }
}
