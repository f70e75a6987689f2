package dev.driftline.core.trigger;

import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.PolicySpec;
import java.util.List;

/**
 * The retraining policy of a model (its spec's {@code policy}), applied window by window. Pure:
 * all memory is in the {@link PolicyState} passed in, so a stream processor can keep it in keyed
 * state and a replay from the same state gives the same decisions and trigger ids.
 *
 * <p>A window's conditions are found by {@link DriftConditions} (dataset drift K of N, critical
 * features, the PSI hard limit, data quality), {@link PerformanceConditions} (metrics K of N,
 * estimated below a label coverage) and {@link PolicyDetectors} (the online detectors); results on
 * fewer than {@code min_samples} values are left out everywhere. A condition firing produces a
 * trigger only when {@link TriggerGate} lets it: the policy armed (re-armed after
 * {@code rearm_after_windows} clear drift windows) and out of cooldown. Moderate drift and single
 * bad windows produce warning alerts.
 */
public final class PolicyEngine {
  private PolicyEngine() {}

  /** What one evaluation produced. */
  public record Decision(List<Alert> alerts, RetrainTrigger trigger, String suppressedBy) {}

  /**
   * Evaluates a completed drift window. Results computed on fewer than {@code policy.min_samples}
   * current values are left out: on a handful of values every test is noise.
   */
  public static Decision onDriftWindow(MonitorSpec spec, String segment, PolicyState s, WindowDriftSummary all, long now) {
    PolicySpec policy = spec.policy();
    WindowDriftSummary w = new WindowDriftSummary(all.windowStart(), all.windowEnd());
    all.results().stream().filter(r -> r.nCurrent() >= policy.minSamples()).forEach(w::add);
    Findings f = new Findings();
    DriftConditions.evaluate(spec, segment, s, w, now, f);
    PolicyDetectors.onDriftWindow(spec, segment, s, w, f);
    TriggerGate.countClearWindow(s, policy.rearmAfterWindows(), !f.triggers() && !PerformanceConditions.anyHolding(spec, s));
    if (!f.triggers()) {
      return new Decision(f.alerts, null, null);
    }
    return TriggerGate.gate(spec, segment, s, f, w.referenceId(), w.windowStart(), w.windowEnd(), now);
  }

  /** Evaluates a (new or updated) performance window. */
  public static Decision onPerformance(MonitorSpec spec, String segment, PolicyState s, PerformanceResult r, long now) {
    PerformanceConditions.remember(spec.policy(), s, r);
    Findings f = new Findings();
    PerformanceConditions.holding(spec, s, f);
    PerformanceConditions.warnings(spec, segment, s, r, now, f);
    PolicyDetectors.onPerformance(spec, segment, s, r, f);
    if (!f.triggers()) {
      return new Decision(f.alerts, null, null);
    }
    return TriggerGate.gate(spec, segment, s, f, null, r.windowStart(), r.windowEnd(), now);
  }
}
