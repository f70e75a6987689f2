package dev.driftline.cli.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.results.DriftResult;
import dev.driftline.services.CommittedRecords;
import dev.driftline.services.FaultNumbers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a run of the drift job on generated traffic put out, once it caught up: its drift results
 * read committed against the uninterrupted run's, its dead letters against the labels the traffic
 * makes later than {@code labels.max_delay} ({@link UninterruptedDrift#refusedLabels}), its restarts,
 * and how long after the traffic ended it caught up. The outputs part of a soak's and an overload's
 * verdict.
 *
 * @param deadLetters dead letters read
 * @param expectedDeadLetters labels the join refuses in an uninterrupted run
 * @param strayDeadLetters dead letters read that are not one of those, and those not read
 * @param catchUpSeconds from the last input record acknowledged by the broker until the job's consumer
 *     group had committed every input record and the last drift result was committed
 */
record RunResults(DriftComparison drift, long deadLetters, long expectedDeadLetters, long strayDeadLetters, long restarts,
    double catchUpSeconds) {
  /** The stage of the dead letter of a label the join refused. */
  static final String REFUSED_LABEL_STAGE = "join:labels";

  /**
   * How long no new result must come before the outputs count as complete: the checkpoint that
   * commits the last results, and one more, after which a duplicate would have shown.
   */
  static Duration quiet(Duration checkpointInterval) {
    return checkpointInterval.multipliedBy(2).plusSeconds(1);
  }

  /**
   * Compares what {@code drift} and {@code deadLetters} read with what an uninterrupted run emits. {@code stopNanos} is when the traffic ended,
   * {@code caughtUpNanos} when the consumer group's lag was 0 (-1: never); both
   * {@link System#nanoTime()}. The job caught up at the later of that and the last result's arrival.
   */
  static RunResults of(UninterruptedDrift.Outputs expected, CommittedRecords drift, CommittedRecords deadLetters, long restarts,
      long stopNanos, long caughtUpNanos) {
    List<CommittedRecords.Arrival> arrivals = drift.arrivals();
    long lastResult = arrivals.isEmpty() ? stopNanos : arrivals.get(arrivals.size() - 1).nanoTime();
    long caughtUp = Math.max(caughtUpNanos < 0 ? System.nanoTime() : caughtUpNanos, lastResult);
    return of(expected.drift(), arrivals.stream().map(a -> a.record().value()).toList(), expected.refusedLabels(),
        deadLetters.values(), restarts, (caughtUp - stopNanos) / 1e9);
  }

  /** {@code committed} drift results and {@code deadLetters} (JSON as read) against what an uninterrupted run gives. */
  static RunResults of(Map<String, DriftResult> expected, List<byte[]> committed, Set<String> refusedLabels,
      List<byte[]> deadLetters, long restarts, double catchUpSeconds) {
    Set<String> seen = new HashSet<>();
    long stray = 0;
    for (byte[] value : deadLetters) {
      JsonNode d = DriftComparison.json(value);
      String id = d.path("key").asText();
      if (!d.path("stage").asText().equals(REFUSED_LABEL_STAGE) || !refusedLabels.contains(id) || !seen.add(id)) {
        stray++;
      }
    }
    stray += refusedLabels.stream().filter(id -> !seen.contains(id)).count();
    return new RunResults(DriftComparison.of(expected, committed), deadLetters.size(), refusedLabels.size(), stray, restarts,
        catchUpSeconds);
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
    if (strayDeadLetters > 0) {
      problems.add(String.format(Locale.ROOT, "%d dead letters, expected %d (labels later than labels.max_delay, stage %s):"
          + " %d not among them or not there", deadLetters, expectedDeadLetters, REFUSED_LABEL_STAGE, strayDeadLetters));
    }
    if (restarts > 0) {
      problems.add("the job restarted " + restarts + " times, expected none");
    }
    return problems;
  }

  /** As the numbers column of a RELIABILITY.md row, {@code in} records in; {@code more} follows the comparison's counts. */
  FaultNumbers numbers(long in, String more) {
    return new FaultNumbers(in, drift.results(), drift.duplicates(), drift.missing(), deadLetters, restarts, catchUpSeconds,
        String.format(Locale.ROOT, "recovery_to=caught_up, expected=%d, differing=%d, unexpected=%d,"
            + " expected_dead_letters=%d, stray_dead_letters=%d, %s", drift.expected(), drift.differing(), drift.unexpected(),
            expectedDeadLetters, strayDeadLetters, more));
  }

  /** Adds the counts to {@code json}, under the names the numbers use. */
  ObjectNode json(ObjectNode json) {
    return json.put("catch_up_seconds", catchUpSeconds).put("expected", drift.expected()).put("results", drift.results())
        .put("duplicates", drift.duplicates()).put("missing", drift.missing()).put("unexpected", drift.unexpected())
        .put("differing", drift.differing()).put("dead_letters", deadLetters)
        .put("expected_dead_letters", expectedDeadLetters).put("stray_dead_letters", strayDeadLetters).put("restarts", restarts);
  }
}
