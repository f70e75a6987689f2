package dev.driftline.testing;

import java.util.Locale;

/**
 * The one line a failure test prints about its run, for the table in RELIABILITY.md:
 * {@code RELIABILITY taskmanager-kill drift-detection: in=14057, results=260, duplicates=0,
 * missing=0, dead_letters=0, restarts=1, recovery=6.2s, ...}. Recovery is from the fault to the
 * job running again or its first new committed output, as the test says in {@code notes}.
 */
public record ReliabilityLine(String fault, String job, long in, long results, long duplicates, long missing,
    long deadLetters, long restarts, double recoverySeconds, String notes) {

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "RELIABILITY %s %s: in=%d, results=%d, duplicates=%d, missing=%d, dead_letters=%d, restarts=%d, recovery=%.1fs%s",
        fault, job, in, results, duplicates, missing, deadLetters, restarts, recoverySeconds,
        notes == null || notes.isBlank() ? "" : ", " + notes);
  }

  /** Prints the line on standard output (the test's output file under failsafe) and returns it. */
  public ReliabilityLine print() {
    System.out.println(this);
    return this;
  }

  /** Seconds between two {@link System#nanoTime()} readings. */
  public static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }
}
