package dev.driftline.cli.soak;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.window.DriftResult;
import dev.driftline.testing.CommittedRecords;
import dev.driftline.testing.FaultNumbers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run of the drift job on generated traffic put out, once it caught up: its drift results
 * read committed against the uninterrupted run's, its dead letters and restarts, and how long after
 * the traffic ended it caught up. The outputs part of a soak's and an overload's verdict.
 *
 * @param catchUpSeconds from the last input record acknowledged by the broker until the job's consumer
 *     group had committed every input record and the last drift result was committed
 */
record RunResults(DriftComparison drift, long deadLetters, long restarts, double catchUpSeconds) {

  /**
   * How long no new result must come before the outputs count as complete: the checkpoint that
   * commits the last results, and one more, after which a duplicate would have shown.
   */
  static Duration quiet(Duration checkpointInterval) {
    return checkpointInterval.multipliedBy(2).plusSeconds(1);
  }

  /**
   * Compares what {@code drift} read with {@code expected}. {@code stopNanos} is when the traffic
   * ended, {@code caughtUpNanos} when the consumer group's lag was 0 (-1: never); both
   * {@link System#nanoTime()}. The job caught up at the later of that and the last result's arrival.
   */
  static RunResults of(Map<String, DriftResult> expected, CommittedRecords drift, long deadLetters, long restarts,
      long stopNanos, long caughtUpNanos) {
    List<CommittedRecords.Arrival> arrivals = drift.arrivals();
    long lastResult = arrivals.isEmpty() ? stopNanos : arrivals.get(arrivals.size() - 1).nanoTime();
    long caughtUp = Math.max(caughtUpNanos < 0 ? System.nanoTime() : caughtUpNanos, lastResult);
    return of(expected, arrivals.stream().map(a -> a.record().value()).toList(), deadLetters, restarts,
        (caughtUp - stopNanos) / 1e9);
  }

  /** {@code committed} drift results (JSON as read) against {@code expected}. */
  static RunResults of(Map<String, DriftResult> expected, List<byte[]> committed, long deadLetters, long restarts,
      double catchUpSeconds) {
    return new RunResults(DriftComparison.of(expected, committed), deadLetters, restarts, catchUpSeconds);
  }

  /** Why the outputs are wrong, a line each: no window closed, results lost, doubled or changed, dead letters, restarts. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (drift.expected() == 0) {
      problems.add("no window closed: --minutes is too short for --window");
    }
    if (!drift.exact()) {
      problems.add(String.format(Locale.ROOT, "drift results against the uninterrupted run's %d: %d missing, %d duplicates,"
          + " %d unexpected, %d differing%s", drift.expected(), drift.missing(), drift.duplicates(), drift.unexpected(),
          drift.differing(), drift.difference() == null ? "" : "; first: " + drift.difference()));
    }
    if (deadLetters > 0) {
      problems.add(deadLetters + " dead letters, expected none");
    }
    if (restarts > 0) {
      problems.add("the job restarted " + restarts + " times, expected none");
    }
    return problems;
  }

  /** As the numbers column of a RELIABILITY.md row, {@code in} records in; {@code more} follows the comparison's counts. */
  FaultNumbers numbers(long in, String more) {
    return new FaultNumbers(in, drift.results(), drift.duplicates(), drift.missing(), deadLetters, restarts, catchUpSeconds,
        String.format(Locale.ROOT, "recovery_to=caught_up, expected=%d, differing=%d, unexpected=%d, %s", drift.expected(),
            drift.differing(), drift.unexpected(), more));
  }

  /** Adds the counts to {@code json}, under the names the numbers use. */
  ObjectNode json(ObjectNode json) {
    return json.put("catch_up_seconds", catchUpSeconds).put("expected", drift.expected()).put("results", drift.results())
        .put("duplicates", drift.duplicates()).put("missing", drift.missing()).put("unexpected", drift.unexpected())
        .put("differing", drift.differing()).put("dead_letters", deadLetters).put("restarts", restarts);
  }
}
