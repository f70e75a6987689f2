package dev.driftline.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Event timestamps as the inputs give them: epoch millis, or an ISO-8601 instant or offset date-time. */
public final class EventTimes {
  /** Before 2001-09-09 in millis means someone sent seconds; a plausible-time check catches it. */
  private static final long MIN_MILLIS = 1_000_000_000_000L;
  private static final long MAX_MILLIS = 32_503_680_000_000L; // year 3000

  private EventTimes() {}

  /** Epoch millis of {@code node}, or -1 with no exception when it is not a valid time. */
  public static long parse(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return -1;
    }
    if (node.isIntegralNumber()) {
      long v = node.asLong();
      return v >= MIN_MILLIS && v <= MAX_MILLIS ? v : -1;
    }
    if (node.isTextual()) {
      String text = node.asText().trim();
      try {
        return Instant.parse(text).toEpochMilli();
      } catch (DateTimeParseException e) {
        try {
          return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e2) {
          return -1;
        }
      }
    }
    return -1;
  }
}
