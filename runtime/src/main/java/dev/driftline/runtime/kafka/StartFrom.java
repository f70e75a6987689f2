package dev.driftline.runtime.kafka;

import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Where a job that starts without a savepoint or checkpoint begins reading its input topics
 * ({@code --start-from}). A job restored from a savepoint or checkpoint always continues from the
 * offsets in its state; this only decides a fresh start.
 *
 * <ul>
 *   <li>{@link Mode#COMMITTED}: the consumer group's offsets, which the job commits to Kafka at
 *       every completed checkpoint; earliest for partitions the group has never committed. A
 *       redeploy neither re-reads what the previous deployment had checkpointed nor skips what it
 *       had not.
 *   <li>{@link Mode#EARLIEST}: the beginning of every partition (a replay: results and triggers
 *       already written are written again).
 *   <li>{@link Mode#LATEST}: only records written after the start (the backlog is skipped).
 *   <li>{@link Mode#TIMESTAMP}: the first record at or after a time in each partition (latest
 *       where there is none).
 * </ul>
 *
 * @param timestamp epoch millis, for {@link Mode#TIMESTAMP} only (else -1)
 */
public record StartFrom(Mode mode, long timestamp) implements Serializable {
  public enum Mode { COMMITTED, EARLIEST, LATEST, TIMESTAMP }

  public static final StartFrom COMMITTED = new StartFrom(Mode.COMMITTED, -1);
  public static final StartFrom EARLIEST = new StartFrom(Mode.EARLIEST, -1);
  public static final StartFrom LATEST = new StartFrom(Mode.LATEST, -1);

  public StartFrom {
    if ((mode == Mode.TIMESTAMP) != (timestamp >= 0)) {
      throw new IllegalArgumentException("start from " + mode + ": a timestamp goes with TIMESTAMP only, got " + timestamp);
    }
  }

  public static StartFrom timestamp(long epochMillis) {
    return new StartFrom(Mode.TIMESTAMP, epochMillis);
  }

  /**
   * {@code committed}, {@code earliest}, {@code latest}, an ISO-8601 instant
   * ({@code 2026-05-04T00:00:00Z}) or epoch milliseconds.
   *
   * @throws IllegalArgumentException with one line naming what was expected
   */
  public static StartFrom parse(String text) {
    String t = text == null ? "" : text.trim();
    switch (t.toLowerCase(Locale.ROOT)) {
      case "committed":
        return COMMITTED;
      case "earliest":
        return EARLIEST;
      case "latest":
        return LATEST;
      default:
        break;
    }
    try {
      if (t.matches("\\d{1,15}")) {
        return timestamp(Long.parseLong(t));
      }
      long millis = Instant.parse(t).toEpochMilli();
      if (millis >= 0) {
        return timestamp(millis);
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      // falls through to the one-line error
    }
    throw new IllegalArgumentException("expected committed, earliest, latest or a time (2026-05-04T00:00:00Z or epoch "
        + "millis), got \"" + t + "\"");
  }

  /** The Kafka source's starting offsets. */
  public OffsetsInitializer offsets() {
    return switch (mode) {
      case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
      case EARLIEST -> OffsetsInitializer.earliest();
      case LATEST -> OffsetsInitializer.latest();
      case TIMESTAMP -> OffsetsInitializer.timestamp(timestamp);
    };
  }

  @Override
  public String toString() {
    return mode == Mode.TIMESTAMP ? Instant.ofEpochMilli(timestamp).toString() : mode.name().toLowerCase(Locale.ROOT);
  }
}
