package dev.driftline.core.trigger;

import dev.driftline.core.window.PerformanceResult;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the policy remembers per (model, segment) between windows: the recent windows' outcomes
 * (for K-of-N), cooldown and re-arming, and the Page–Hinkley detector. Plain fields so it can be
 * stored as JSON in Flink state; every collection is bounded by the policy's largest N.
 */
public final class PolicyState {
  /** Dataset-drift outcome of the recent drift windows, oldest first. */
  public List<Boolean> datasetDrift = new ArrayList<>();
  /** Latest performance of the recent windows, by window start. */
  public TreeMap<String, PerformanceResult> performance = new TreeMap<>();
  /** Windows already announced by a one-window performance warning. */
  public TreeSet<String> warnedWindows = new TreeSet<>();
  /** Windows whose error rate went into the Page–Hinkley detector. */
  public TreeSet<String> detectorFed = new TreeSet<>();
  public boolean armed = true;
  public int clearStreak;
  /** Event time (window end, epoch millis) of the last trigger; MIN_VALUE before any. */
  public long lastTrigger = Long.MIN_VALUE;
  /** Start of the earliest window of the current episode (ISO-8601), or null. */
  public String episodeStart;
  public long detectorCount;
  public double detectorMean;
  public double detectorSum;
  public double detectorMin;
}
