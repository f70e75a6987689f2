package dev.driftline.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Json;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Event timestamps as the inputs give them: epoch millis, or an ISO-8601 instant or offset
 * date-time. A valid time lies between {@link #MIN_MILLIS} and {@link #MAX_AHEAD} after the wall
 * clock: one event stamped in the far future would move a job's watermark past every window and
 * make all later traffic late, so it is refused at the door instead.
 */
public final class EventTimes {
  /** Before 2001-09-09 in millis means someone sent seconds; a plausible-time check catches it. */
  public static final long MIN_MILLIS = 1_000_000_000_000L;
  /** How far past the wall clock an event time may be (producer clocks drift, days do not). */
  public static final Duration MAX_AHEAD = Duration.ofDays(1);

  private EventTimes() {}

  /** Epoch millis of {@code node}, or -1 with no exception when it is not a valid time now. */
  public static long parse(JsonNode node) {
    return parse(node, System.currentTimeMillis());
  }

  /** As {@link #parse(JsonNode)} with the wall clock at {@code nowMillis}. */
  public static long parse(JsonNode node, long nowMillis) {
    long v = millis(node);
    return v >= MIN_MILLIS && v <= nowMillis + MAX_AHEAD.toMillis() ? v : -1;
  }

  /**
   * The one-line reason {@code node} is not a valid time for {@code field}, e.g.
   * {@code ts: expected epoch millis or an ISO-8601 time, got 1767225600 (before 2001-09-09T01:46:40Z: seconds, not millis?)}.
   */
  public static String reason(String field, JsonNode node) {
    String base = field + ": expected epoch millis or an ISO-8601 time, got " + Json.describe(node);
    long v = millis(node);
    if (v == Long.MIN_VALUE) {
      return base;
    }
    if (v < MIN_MILLIS) {
      return base + " (before " + Instant.ofEpochMilli(MIN_MILLIS) + ": seconds, not millis?)";
    }
    return base + " (more than " + MAX_AHEAD.toHours() + "h in the future)";
  }

  /** The time {@code node} names in epoch millis, unchecked for plausibility; {@link Long#MIN_VALUE} if none. */
  private static long millis(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Long.MIN_VALUE;
    }
    if (node.isIntegralNumber()) {
      // A whole number beyond a long would wrap in asLong() into an arbitrary, maybe plausible, time.
      return node.canConvertToLong() && node.asLong() != Long.MIN_VALUE ? node.asLong() : Long.MIN_VALUE;
    }
    if (node.isTextual()) {
      String text = node.asText().trim();
      try {
        return clamp(Instant.parse(text));
      } catch (DateTimeException e) {
        try {
          return clamp(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeException e2) {
          return Long.MIN_VALUE;
        }
      }
    }
    return Long.MIN_VALUE;
  }

  /** Epoch millis, saturated instead of overflowing for instants millions of years away. */
  private static long clamp(Instant t) {
    if (t.getEpochSecond() > Long.MAX_VALUE / 2000) {
      return Long.MAX_VALUE;
    }
    if (t.getEpochSecond() < Long.MIN_VALUE / 2000) {
      return Long.MIN_VALUE + 1;
    }
    return t.toEpochMilli();
  }
}
