package dev.driftline.services;

import java.util.Locale;

/**
 * What a fault test measured, as the numbers column of its {@link ReliabilityLog} row:
 * {@code in=14057, results=260, duplicates=0, missing=0, dead_letters=0, restarts=1, recovery=7.0s, ...}.
 * Recovery runs from the fault to the job running again or to its first new committed output; the
 * test says which in {@code notes}.
 */
public record FaultNumbers(long in, long results, long duplicates, long missing, long deadLetters, long restarts,
    double recoverySeconds, String notes) {

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "in=%d, results=%d, duplicates=%d, missing=%d, dead_letters=%d, restarts=%d, recovery=%.1fs%s",
        in, results, duplicates, missing, deadLetters, restarts, recoverySeconds,
        notes == null || notes.isBlank() ? "" : ", " + notes);
  }

  /** Seconds between two {@link System#nanoTime()} readings. */
  public static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }
}
