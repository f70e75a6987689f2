package dev.driftline.cli.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When the watermark passed each window end, from what the sources read: a source subtask's
 * watermark passes {@code end} when it reads an event time of at least {@code end + maxOutOfOrderness}
 * (bounded out-of-orderness emits {@code maxTs - ooo - 1}; a window fires at watermark
 * {@code end - 1}), and the job's watermark passes when every subtask's has. Subtasks, not Kafka
 * partitions: the windowed jobs assign watermarks after decoding, so a subtask reading several
 * partitions passes a window as soon as the first of them does. Windows are tumbling and aligned
 * to the epoch, as the jobs' windows are.
 *
 * <p>Thread-safe: the sources' threads call {@link #observe}; its fast path takes no lock.
 */
final class PassTimes {
  private final int sources;
  private final long windowMillis;
  private final long outOfOrderMillis;
  /** Per source, the latest window end its reads have passed. */
  private final AtomicLongArray passed;
  /** Window end → per source, the wall time it was first passed (0 = not yet). */
  private final Map<Long, long[]> firstPassed = new HashMap<>();

  PassTimes(int sources, long windowMillis, long outOfOrderMillis) {
    if (sources < 1 || windowMillis < 1 || outOfOrderMillis < 0) {
      throw new IllegalArgumentException("sources and window must be positive, out-of-orderness >= 0");
    }
    this.sources = sources;
    this.windowMillis = windowMillis;
    this.outOfOrderMillis = outOfOrderMillis;
    this.passed = new AtomicLongArray(sources);
    for (int p = 0; p < sources; p++) {
      passed.set(p, Long.MIN_VALUE);
    }
  }

  /** The latest window end that a read of {@code eventMillis} passes. */
  long passedEnd(long eventMillis) {
    return Math.floorDiv(eventMillis - outOfOrderMillis, windowMillis) * windowMillis;
  }

  /** Notes that {@code source} read a record of {@code eventMillis} at wall time {@code wallMillis}. */
  void observe(int source, long eventMillis, long wallMillis) {
    long end = passedEnd(eventMillis);
    if (end <= passed.get(source)) {
      return;
    }
    synchronized (firstPassed) {
      long last = passed.get(source);
      if (end <= last) {
        return;
      }
      // Windows skipped over (no records in between) were passed at the same moment.
      long from = last == Long.MIN_VALUE ? end : last + windowMillis;
      for (long e = from; e <= end; e += windowMillis) {
        firstPassed.computeIfAbsent(e, k -> new long[sources])[source] = wallMillis;
      }
      passed.set(source, end);
    }
  }

  /** Window end → wall time the job's watermark passed it, for windows every source has passed. */
  Map<Long, Long> passTimes() {
    Map<Long, Long> out = new TreeMap<>();
    synchronized (firstPassed) {
      for (Map.Entry<Long, long[]> e : firstPassed.entrySet()) {
        long max = 0;
        boolean all = true;
        for (long t : e.getValue()) {
          all &= t != 0;
          max = Math.max(max, t);
        }
        if (all) {
          out.put(e.getKey(), max);
        }
      }
    }
    return out;
  }
}
