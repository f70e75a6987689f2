package dev.driftline.cli.calibrate;

import java.util.Arrays;

/**
 * What one test did over a run of simulated windows, in window order.
 *
 * @param flags whether each window was flagged
 * @param statistics each window's statistic (the p-value for hypothesis tests)
 */
record Outcomes(boolean[] flags, double[] statistics) {

  Rate rate() {
    long hits = 0;
    for (boolean f : flags) {
      hits += f ? 1 : 0;
    }
    return new Rate(hits, flags.length);
  }

  /** The {@code q} quantile of the statistics (nearest rank, deterministic). */
  double quantile(double q) {
    double[] sorted = statistics.clone();
    Arrays.sort(sorted);
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /**
   * Mean number of windows from a change to the first flag: windows are read in order as runs
   * that end at a flag (the first window after the change is delay 1); a run still open at the end
   * is left out. NaN when no window was flagged.
   */
  double meanDelay() {
    long runs = 0;
    long total = 0;
    int length = 0;
    for (boolean f : flags) {
      length++;
      if (f) {
        runs++;
        total += length;
        length = 0;
      }
    }
    return runs == 0 ? Double.NaN : (double) total / runs;
  }
}
