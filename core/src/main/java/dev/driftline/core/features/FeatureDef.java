package dev.driftline.core.features;

import java.io.Serializable;
import java.time.Duration;

/**
 * One feature of a view. Values as of {@code t} (the event time of the newest event included),
 * over the entity's events with timestamp at most {@code t}:
 *
 * <ul>
 *   <li>Windowed aggregations ({@link Aggregation#windowed()}) cover the events with timestamp in
 *       {@code [floor(t / g)·g − window + g, t]}, g the granularity: the bucket that holds {@code t}
 *       and the {@code window/g − 1} buckets before it. The window is therefore bucket-aligned and
 *       spans between {@code window − g} and {@code window} of event time; with the default
 *       granularity (window / 60) that is within 1.7 % of the nominal length.
 *   <li>{@code count}, {@code sum}: 0 over no events; {@code mean}, {@code min}, {@code max},
 *       {@code stddev} (population, ddof = 0): missing over no events; {@code distinct_count}: the
 *       HyperLogLog estimate (lg k = {@value BucketRing#HLL_LG_K}) rounded to a whole number.
 *   <li>{@code last}: the field's value in the newest event (ties in event time: the one that
 *       arrived last). {@code time_since_last}: seconds between {@code t} and the previous, earlier
 *       event time of the entity; missing for its first event.
 *   <li>{@code ratio}: numerator / denominator (two other features); missing when either is missing
 *       or the denominator is 0.
 * </ul>
 *
 * @param field the event field read, or null for count, time_since_last and ratio
 * @param window null unless windowed
 * @param granularity bucket size, null unless windowed; divides the window
 * @param numerator the numerator feature of a ratio, else null
 * @param denominator the denominator feature of a ratio, else null
 */
public record FeatureDef(String name, Aggregation aggregation, String field, Duration window, Duration granularity,
    String numerator, String denominator) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Buckets in this feature's ring; 0 when it is not windowed. */
  public int buckets() {
    return window == null ? 0 : (int) (window.toMillis() / granularity.toMillis());
  }
}
