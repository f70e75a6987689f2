package dev.driftline.jobs.driftdetection.operators;

import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Fires when the watermark passes the window's end, like the event-time trigger; late elements
 * (labels arriving after their window closed) do not fire one update each but are batched: the
 * window fires again when the watermark next crosses a multiple of {@code updateEveryMillis}.
 */
public final class LateUpdateTrigger<T> extends Trigger<T, TimeWindow> {
  private static final long serialVersionUID = 1L;
  private final long updateEveryMillis;

  public LateUpdateTrigger(long updateEveryMillis) {
    if (updateEveryMillis <= 0) {
      throw new IllegalArgumentException("update interval must be positive");
    }
    this.updateEveryMillis = updateEveryMillis;
  }

  @Override
  public TriggerResult onElement(T element, long timestamp, TimeWindow window, TriggerContext ctx) {
    long watermark = ctx.getCurrentWatermark();
    if (window.maxTimestamp() > watermark) {
      ctx.registerEventTimeTimer(window.maxTimestamp());
    } else {
      // Timers are unique per (key, window, time), so many late elements share one update.
      long next = (Math.floorDiv(watermark, updateEveryMillis) + 1) * updateEveryMillis;
      ctx.registerEventTimeTimer(next);
    }
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
    return TriggerResult.FIRE;
  }

  @Override
  public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
    return TriggerResult.CONTINUE;
  }

  @Override
  public void clear(TimeWindow window, TriggerContext ctx) {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }

  @Override
  public String toString() {
    return "LateUpdateTrigger(" + updateEveryMillis + " ms)";
  }
}
