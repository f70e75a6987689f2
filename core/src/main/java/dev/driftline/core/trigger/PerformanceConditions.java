package dev.driftline.core.trigger;

import dev.driftline.core.estimation.EstimatedMetric;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.PerformanceMetric;
import dev.driftline.core.spec.PolicySpec;
import dev.driftline.core.spec.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The policy's performance conditions: a metric worse than its limit in K of the last N windows,
 * counting windows with enough label coverage and, where the condition says
 * {@code estimate_below_coverage}, windows with less coverage by their estimated metric. A single
 * window worse than a limit, while no condition holds, is a warning, once per window and metric.
 */
final class PerformanceConditions {
  private PerformanceConditions() {}

  /** Remembers the (new or updated) window, keeping the largest N of the conditions. */
  static void remember(PolicySpec policy, PolicyState s, PerformanceResult r) {
    s.performance.put(r.windowStart(), r);
    while (s.performance.size() > maxN(policy)) {
      s.performance.pollFirstEntry();
    }
  }

  /** The conditions that hold over the remembered windows: reasons, with the bad windows as evidence. */
  static void holding(MonitorSpec spec, PolicyState s, Findings f) {
    List<PerformanceResult> windows = new ArrayList<>(s.performance.values());
    for (PolicySpec.PerformanceCondition c : spec.policy().performance()) {
      List<PerformanceResult> last = windows.subList(Math.max(0, windows.size() - c.n()), windows.size());
      List<Evidence> bad = new ArrayList<>();
      int estimated = 0;
      for (PerformanceResult p : last) {
        // Too few labels for the realized metric: the window's estimate, when the condition allows it.
        Double e = p.labelCoverage() < c.estimateBelowCoverage() ? estimatedValue(p, c.metric()) : null;
        Double v = e != null ? e : p.labelCoverage() >= c.minLabelCoverage() ? p.metric(c.metric()) : null;
        if (v != null && worse(c, v)) {
          bad.add(evidence(e != null ? "estimated_performance" : "performance", p, c.metric(), v, c.limit()));
          estimated += e != null ? 1 : 0;
        }
      }
      if (bad.size() >= c.k()) {
        f.reasons.add(String.format(Locale.ROOT, "%s %s %.4f in %d of the last %d windows (label coverage >= %.2f)",
            c.metric().id(), c.metric().higherIsBetter() ? "below" : "above", c.limit(), bad.size(), last.size(), c.minLabelCoverage())
            + (estimated == 0 ? "" : String.format(Locale.ROOT, ", %d of them estimated before labels (coverage < %.2f)",
                estimated, c.estimateBelowCoverage())));
        f.evidence.addAll(bad);
      }
    }
  }

  /** Whether a performance condition holds now (a drift window is clear only when none does). */
  static boolean anyHolding(MonitorSpec spec, PolicyState s) {
    Findings f = new Findings();
    holding(spec, s, f);
    return f.triggers();
  }

  /** One-window warnings for {@code r}, when no condition holds. */
  static void warnings(MonitorSpec spec, String segment, PolicyState s, PerformanceResult r, long now, Findings f) {
    for (PolicySpec.PerformanceCondition c : spec.policy().performance()) {
      Double v = r.metric(c.metric());
      if (v != null && r.labelCoverage() >= c.minLabelCoverage() && worse(c, v) && f.reasons.isEmpty()
          && s.warnedWindows.add(r.windowStart() + "|" + c.metric().id())) {
        f.alerts.add(TriggerGate.warning("performance", spec, segment, r.windowStart(), r.windowEnd(), now,
            String.format(Locale.ROOT, "%s: %s %.4f %s limit %.4f in window %s (label coverage %.2f)",
                TriggerGate.who(spec, segment), c.metric().id(), v, c.metric().higherIsBetter() ? "below" : "above",
                c.limit(), r.windowStart(), r.labelCoverage()),
            List.of(evidence("performance", r, c.metric(), v, c.limit()))));
      }
    }
    PolicyDetectors.trim(s.warnedWindows, 4 * maxN(spec.policy()));
  }

  /** The window's estimated {@code m} (from the estimate beside its realized metrics), or null. */
  static Double estimatedValue(PerformanceResult r, PerformanceMetric m) {
    EstimatedMetric e = m.estimate(r.windowEstimate());
    return e == null ? null : e.value();
  }

  /** What the detectors watching the error rate are fed: a classifier's 1 − accuracy, or the regression's MAE. */
  static Double errorRate(MonitorSpec spec, PerformanceResult r) {
    if (spec.task() != Task.REGRESSION) {
      return r.accuracy() == null ? null : 1 - r.accuracy();
    }
    return r.mae();
  }

  /** The largest N of the performance conditions (1 without any). */
  static int maxN(PolicySpec policy) {
    int n = 1;
    for (PolicySpec.PerformanceCondition c : policy.performance()) {
      n = Math.max(n, c.n());
    }
    return n;
  }

  static Evidence evidence(String condition, PerformanceResult p, PerformanceMetric m, Double v, double limit) {
    return new Evidence(condition, p.windowStart(), p.windowEnd(), null, null, m == null ? "error_rate" : m.id(), v, limit,
        p.labelCoverage());
  }

  private static boolean worse(PolicySpec.PerformanceCondition c, double v) {
    return c.metric().higherIsBetter() ? v < c.limit() : v > c.limit();
  }
}
