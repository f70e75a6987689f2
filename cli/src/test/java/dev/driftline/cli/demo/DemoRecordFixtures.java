package dev.driftline.cli.demo;

import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.estimation.EstimatedMetric;
import dev.driftline.core.estimation.PerformanceEstimate;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.RetrainTrigger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Records of the demo's output topics as the jobs and the trainer write them, for the demo's tests. */
final class DemoRecordFixtures {
  private DemoRecordFixtures() {}

  /** A 10-minute window of 2026-03-02 starting at {@code hhmm}. */
  static String windowStart(String hhmm) {
    return "2026-03-02T" + hhmm + ":00Z";
  }

  static DriftResult drift(String model, String segment, String feature, String featureType, String test, String hhmm,
      boolean drift) {
    String start = windowStart(hhmm);
    return new DriftResult(model, segment, feature, featureType, test, 0.2, 0.001, 0.002, 0.01, drift, "exact", "alpha",
        null, start, Instant.parse(start).plusSeconds(600).toString(), 1000, 200, "credit-default-20260223T1200",
        "2026-12-07T18:00:00Z");
  }

  static DriftResult drift(String model, String feature, String test, String hhmm, boolean drift) {
    return drift(model, DriftResult.ALL_SEGMENTS, feature, "numeric", test, hhmm, drift);
  }

  /** An estimate before labels; {@code auc} null for a window whose calibrated scores are all of one class. */
  static PerformanceResult estimated(String model, String segment, String hhmm, EstimatedMetric accuracy, EstimatedMetric auc) {
    PerformanceEstimate e = new PerformanceEstimate("isotonic", "p", 600, 0.5, 0.95, true, 0.2, accuracy, null, null, null, auc);
    long start = Instant.parse(windowStart(hhmm)).toEpochMilli();
    return PerformanceResult.estimated(model, segment, start, start + 600_000, e, start + 700_000);
  }

  static PerformanceResult realized(String model, String hhmm) {
    String start = windowStart(hhmm);
    return new PerformanceResult(model, DriftResult.ALL_SEGMENTS, start, Instant.parse(start).plusSeconds(600).toString(),
        600, 300, 0.5, true, 0.8, 0.7, 0.6, 0.65, 0.75, 0.0, 0.4, 0.15, 0.2, null, null, "2026-12-07T18:00:00Z");
  }

  static Alert alert(String severity, String message) {
    return new Alert("a-1", severity, "psi_limit", "credit-default", DriftResult.ALL_SEGMENTS, message, null,
        windowStart("08:40"), windowStart("08:50"), "2026-12-07T18:00:00Z", "abc", List.of());
  }

  static RetrainTrigger trigger(String id, List<String> reasons) {
    return new RetrainTrigger(id, "credit-default", DriftResult.ALL_SEGMENTS, reasons, List.of(), "credit-default-20260223T1200",
        windowStart("08:20"), windowStart("09:00"), "2026-12-07T18:00:00Z", "abc");
  }

  static BaselineFile profile(String id) {
    return new BaselineFile(BaselineFile.FORMAT, id, "credit-default", "abc", "2026-12-07T18:00:00Z", null, 120,
        Map.of(), null, null, null, "trg-1", null);
  }
}
