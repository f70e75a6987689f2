package dev.driftline.cli.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Result latency after the watermark passed a window's end, and its percentiles. */
final class Latency {
  private Latency() {}

  /** A window's first result: its model, end and the earliest {@code computed_at}, epoch millis. */
  record FirstResult(String modelId, long windowEnd, long computedAt) {}

  /**
   * {@code computedAt - passTime} in ms for every result whose window has a pass time; windows that
   * closed only at the end of input have none and are left out.
   */
  static List<Long> latencies(Map<Long, Long> passTimes, List<FirstResult> results) {
    List<Long> out = new ArrayList<>();
    for (FirstResult r : results) {
      Long passed = passTimes.get(r.windowEnd());
      if (passed != null) {
        out.add(r.computedAt() - passed);
      }
    }
    return out;
  }

  /** The nearest-rank {@code p}-quantile (p in (0, 1]) of {@code values}; null when there are none. */
  static Long percentile(List<Long> values, double p) {
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("p must be in (0, 1], got " + p);
    }
    if (values.isEmpty()) {
      return null;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(rank, 1) - 1);
  }
}
