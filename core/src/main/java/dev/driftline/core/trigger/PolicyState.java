package dev.driftline.core.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.detect.detectors.PageHinkleyDetector;
import dev.driftline.core.results.PerformanceResult;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the policy remembers per (model, segment) between windows: the recent windows' outcomes
 * (for K-of-N), cooldown and re-arming, and the online detectors' states. Plain fields so it can be
 * stored as JSON in Flink state; every collection is bounded by the policy's largest N, and each
 * detector's state by its own contract.
 */
public final class PolicyState {
  /** Dataset-drift outcome of the recent drift windows, oldest first. */
  public List<Boolean> datasetDrift = new ArrayList<>();
  /** Latest performance of the recent windows, by window start. */
  public TreeMap<String, PerformanceResult> performance = new TreeMap<>();
  /** Windows already announced by a one-window performance warning. */
  public TreeSet<String> warnedWindows = new TreeSet<>();
  /** Windows whose error rate went into the detectors that watch it. */
  public TreeSet<String> detectorFed = new TreeSet<>();
  /** Drift windows whose statistics went into the detectors that watch a feature. */
  public TreeSet<String> driftDetectorFed = new TreeSet<>();
  public boolean armed = true;
  public int clearStreak;
  /** Event time (window end, epoch millis) of the last trigger; MIN_VALUE before any. */
  public long lastTrigger = Long.MIN_VALUE;
  /** Start of the earliest window of the current episode (ISO-8601), or null. */
  public String episodeStart;
  /** Each configured detector's state (its own JSON), by detector id. */
  public TreeMap<String, JsonNode> detectors = new TreeMap<>();

  // State written before the detectors had their own states kept Page–Hinkley's in four fields;
  // reading it puts them where the detector now keeps them. They are never written.

  public void setDetectorCount(long count) {
    legacyPageHinkley().put("count", count);
  }

  public void setDetectorMean(double mean) {
    legacyPageHinkley().put("mean", mean);
  }

  public void setDetectorSum(double sum) {
    legacyPageHinkley().put("sum", sum);
  }

  public void setDetectorMin(double min) {
    legacyPageHinkley().put("min", min);
  }

  private ObjectNode legacyPageHinkley() {
    return (ObjectNode) detectors.computeIfAbsent(PageHinkleyDetector.INSTANCE.id(), k -> JsonNodeFactory.instance.objectNode());
  }
}
