package dev.driftline.core.trigger;

import dev.driftline.core.drift.tests.PsiDriftTest;
import dev.driftline.core.detect.DetectorSpec;
import dev.driftline.core.detect.Detection;
import dev.driftline.core.detect.Watch;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.PerformanceMetric;
import dev.driftline.core.spec.PolicySpec;
import dev.driftline.core.spec.Task;
import dev.driftline.core.window.DriftResult;
import dev.driftline.core.estimation.EstimatedMetric;
import dev.driftline.core.estimation.PerformanceEstimate;
import dev.driftline.core.window.PerformanceResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The retraining policy of a model (its spec's {@code policy}), applied window by window. Pure:
 * all memory is in the {@link PolicyState} passed in, so a stream processor can keep it in keyed
 * state and a replay from the same state gives the same decisions and trigger ids.
 *
 * <p>Trigger conditions: a performance metric worse than its limit in K of the last N windows
 * (counting windows with enough label coverage, and, where the condition says
 * {@code estimate_below_coverage}, windows with less coverage by their estimated metric); dataset
 * drift (share of drifted features) in K of N windows; drift of a critical feature; PSI above the
 * hard limit; an online detector firing ({@link dev.driftline.core.detect.OnlineDetectors}:
 * Page–Hinkley, ADWIN, the ERT-calibrated CUSUM). A detector watching the error rate is fed each
 * performance window once, the first time its label coverage reaches the largest
 * {@code min_label_coverage} of the performance conditions; one watching a feature's drift
 * statistic is fed each drift window once (results on fewer than {@code min_samples} values left
 * out, as everywhere). A condition firing produces a trigger only when the policy is armed
 * (re-armed after {@code rearm_after_windows} clear drift windows) and out of cooldown. Moderate
 * drift and single bad windows produce warning alerts.
 */
public final class PolicyEngine {
  private PolicyEngine() {}

  /** What one evaluation produced. */
  public record Decision(List<Alert> alerts, RetrainTrigger trigger, String suppressedBy) {
    static Decision none() {
      return new Decision(List.of(), null, null);
    }
  }

  /**
   * Evaluates a completed drift window. Results computed on fewer than {@code policy.min_samples}
   * current values are left out: on a handful of values every test is noise.
   */
  public static Decision onDriftWindow(MonitorSpec spec, String segment, PolicyState s, WindowDriftSummary all, long now) {
    PolicySpec policy = spec.policy();
    WindowDriftSummary w = new WindowDriftSummary(all.windowStart(), all.windowEnd());
    all.results().stream().filter(r -> r.nCurrent() >= policy.minSamples()).forEach(w::add);
    List<String> reasons = new ArrayList<>();
    List<Evidence> evidence = new ArrayList<>();
    List<Alert> alerts = new ArrayList<>();

    if (policy.datasetDrift() != null) {
      PolicySpec.DatasetDriftCondition dd = policy.datasetDrift();
      boolean drifted = w.featuresTested() > 0 && w.driftShare() >= dd.share();
      s.datasetDrift.add(drifted);
      while (s.datasetDrift.size() > dd.n()) {
        s.datasetDrift.remove(0);
      }
      long count = s.datasetDrift.stream().filter(b -> b).count();
      Evidence e = new Evidence("dataset_drift", w.windowStart(), w.windowEnd(), null, null, "drift_share",
          w.driftShare(), dd.share(), null);
      if (count >= dd.k()) {
        reasons.add(String.format(Locale.ROOT, "dataset drift: %d of %d features drifted (share %.2f >= %.2f) in %d of the last %d windows",
            w.driftedFeatures().size(), w.featuresTested(), w.driftShare(), dd.share(), count, s.datasetDrift.size()));
        evidence.add(e);
      } else if (drifted) {
        alerts.add(alert("warning", "dataset_drift", spec, segment, w.windowStart(), w.windowEnd(), null, now,
            String.format(Locale.ROOT, "%s: %d of %d features drifted in window %s (not yet %d of %d windows)",
                who(spec, segment), w.driftedFeatures().size(), w.featuresTested(), w.windowStart(), dd.k(), dd.n()),
            List.of(e)));
      }
    }

    TreeSet<String> warned = new TreeSet<>();
    List<Evidence> warnEvidence = new ArrayList<>();
    TreeSet<String> qualityWarned = new TreeSet<>();
    List<Evidence> qualityEvidence = new ArrayList<>();
    for (DriftResult r : w.results()) {
      // Label drift is not a feature's: it is reported, and the performance conditions act on labels.
      if ("score".equals(r.featureType()) || r.isLabel()) {
        continue;
      }
      if (r.isQuality()) {
        if (r.drift() && policy.dataQuality().contains(r.test())) {
          reasons.add("data quality of " + r.feature() + ": " + r.test() + " failed (" + fmt(r.statistic()) + ")");
          evidence.add(fromResult("data_quality", r));
        } else if (r.drift()) {
          qualityWarned.add(r.feature() + " " + r.test());
          qualityEvidence.add(fromResult("data_quality", r));
        }
        continue;
      }
      boolean critical = spec.feature(r.feature()).map(f -> f.critical()).orElse(false);
      if (critical && r.drift()) {
        reasons.add("critical feature " + r.feature() + " drifted (" + r.test() + " " + fmt(r.statistic()) + ")");
        evidence.add(fromResult("critical_feature", r));
      }
      boolean psi = r.test().equals(PsiDriftTest.INSTANCE.id());
      if (psi && r.statistic() > policy.psiHardLimit()) {
        reasons.add("PSI of " + r.feature() + " is " + fmt(r.statistic()) + " > hard limit " + fmt(policy.psiHardLimit()));
        evidence.add(fromResult("psi_limit", r));
      } else if (psi && r.statistic() >= policy.warnPsi()) {
        warned.add(r.feature());
        warnEvidence.add(fromResult("moderate_drift", r));
      }
    }
    if (!qualityWarned.isEmpty()) {
      alerts.add(alert("warning", "data_quality", spec, segment, w.windowStart(), w.windowEnd(), null, now,
          who(spec, segment) + ": data-quality checks failed (" + String.join(", ", qualityWarned) + ") in window "
              + w.windowStart(), qualityEvidence));
    }
    if (!warned.isEmpty()) {
      alerts.add(alert("warning", "moderate_drift", spec, segment, w.windowStart(), w.windowEnd(), null, now,
          who(spec, segment) + ": moderate drift (PSI " + fmt(policy.warnPsi()) + ".." + fmt(policy.psiHardLimit())
              + ") on " + String.join(", ", warned) + " in window " + w.windowStart(), warnEvidence));
    }

    forgetUnconfigured(policy, s);
    List<DetectorSpec<?, ?>> onFeatures = policy.detectors().stream().filter(d -> !d.watch().isErrorRate()).toList();
    if (!onFeatures.isEmpty() && firstTime(s.driftDetectorFed, w.windowStart(), 4 * maxN(policy))) {
      for (DetectorSpec<?, ?> d : onFeatures) {
        Watch watch = d.watch();
        DriftResult r = w.results().stream()
            .filter(x -> x.feature().equals(watch.feature()) && x.test().equals(watch.test())).findFirst().orElse(null);
        if (r == null) {
          continue;
        }
        Detection x = d.feed(s.detectors, r.statistic(), seed(spec, segment, d));
        if (x.fired()) {
          reasons.add(x.reason());
          evidence.add(new Evidence(d.id(), r.windowStart(), r.windowEnd(), r.feature(), r.test(), null, x.value(),
              x.threshold(), null));
        }
      }
    }
    boolean performanceFiring = !performanceReasons(spec, s, new ArrayList<>()).isEmpty();
    if (reasons.isEmpty() && !performanceFiring) {
      s.clearStreak++;
      if (!s.armed && s.clearStreak >= policy.rearmAfterWindows()) {
        s.armed = true;
        s.episodeStart = null;
      }
    } else {
      s.clearStreak = 0;
    }
    if (reasons.isEmpty()) {
      return new Decision(alerts, null, null);
    }
    if (s.episodeStart == null) {
      s.episodeStart = earliest(evidence, w.windowStart());
    }
    return gate(spec, segment, s, reasons, evidence, alerts, w.referenceId(), w.windowStart(), w.windowEnd(), now);
  }

  /** Evaluates a (new or updated) performance window. */
  public static Decision onPerformance(MonitorSpec spec, String segment, PolicyState s, PerformanceResult r, long now) {
    PolicySpec policy = spec.policy();
    s.performance.put(r.windowStart(), r);
    int keep = maxN(policy);
    while (s.performance.size() > keep) {
      s.performance.pollFirstEntry();
    }
    List<Alert> alerts = new ArrayList<>();
    List<Evidence> evidence = new ArrayList<>();
    List<String> reasons = performanceReasons(spec, s, evidence);

    for (PolicySpec.PerformanceCondition c : policy.performance()) {
      Double v = value(r, c.metric());
      if (v != null && r.labelCoverage() >= c.minLabelCoverage() && worse(c, v) && reasons.isEmpty()
          && s.warnedWindows.add(r.windowStart() + "|" + c.metric().id())) {
        alerts.add(alert("warning", "performance", spec, segment, r.windowStart(), r.windowEnd(), null, now,
            String.format(Locale.ROOT, "%s: %s %.4f %s limit %.4f in window %s (label coverage %.2f)", who(spec, segment),
                c.metric().id(), v, c.metric().higherIsBetter() ? "below" : "above", c.limit(), r.windowStart(), r.labelCoverage()),
            List.of(perfEvidence("performance", r, c.metric(), v, c.limit()))));
      }
    }
    trim(s.warnedWindows, 4 * keep);

    forgetUnconfigured(policy, s);
    List<DetectorSpec<?, ?>> onError = policy.detectors().stream().filter(d -> d.watch().isErrorRate()).toList();
    double minCoverage = policy.performance().stream().mapToDouble(PolicySpec.PerformanceCondition::minLabelCoverage).max().orElse(0);
    Double error = errorRate(spec, r);
    if (!onError.isEmpty() && error != null && r.labelCoverage() >= minCoverage && firstTime(s.detectorFed, r.windowStart(), 4 * keep)) {
      for (DetectorSpec<?, ?> d : onError) {
        Detection x = d.feed(s.detectors, error, seed(spec, segment, d));
        if (x.fired()) {
          reasons.add(x.reason());
          evidence.add(perfEvidence(d.id(), r, null, x.value(), x.threshold()));
        }
      }
    }
    if (reasons.isEmpty()) {
      return new Decision(alerts, null, null);
    }
    if (s.episodeStart == null) {
      s.episodeStart = earliest(evidence, r.windowStart());
    }
    return gate(spec, segment, s, reasons, evidence, alerts, null, r.windowStart(), r.windowEnd(), now);
  }

  /** Performance conditions that hold now over the remembered windows. */
  private static List<String> performanceReasons(MonitorSpec spec, PolicyState s, List<Evidence> evidence) {
    List<String> reasons = new ArrayList<>();
    List<PerformanceResult> windows = new ArrayList<>(s.performance.values());
    for (PolicySpec.PerformanceCondition c : spec.policy().performance()) {
      List<PerformanceResult> last = windows.subList(Math.max(0, windows.size() - c.n()), windows.size());
      List<Evidence> bad = new ArrayList<>();
      int estimated = 0;
      for (PerformanceResult p : last) {
        // Too few labels for the realized metric: the window's estimate, when the condition allows it.
        Double e = p.labelCoverage() < c.estimateBelowCoverage() ? estimatedValue(p, c.metric()) : null;
        Double v = e != null ? e : p.labelCoverage() >= c.minLabelCoverage() ? value(p, c.metric()) : null;
        if (v != null && worse(c, v)) {
          bad.add(perfEvidence(e != null ? "estimated_performance" : "performance", p, c.metric(), v, c.limit()));
          estimated += e != null ? 1 : 0;
        }
      }
      if (bad.size() >= c.k()) {
        reasons.add(String.format(Locale.ROOT, "%s %s %.4f in %d of the last %d windows (label coverage >= %.2f)",
            c.metric().id(), c.metric().higherIsBetter() ? "below" : "above", c.limit(), bad.size(), last.size(), c.minLabelCoverage())
            + (estimated == 0 ? "" : String.format(Locale.ROOT, ", %d of them estimated before labels (coverage < %.2f)",
                estimated, c.estimateBelowCoverage())));
        evidence.addAll(bad);
      }
    }
    return reasons;
  }

  /** Adds {@code window} to the windows fed (keeping the latest {@code max}); false when it was fed before. */
  private static boolean firstTime(TreeSet<String> fed, String window, int max) {
    if (!fed.add(window)) {
      return false;
    }
    trim(fed, max);
    return true;
  }

  /** Drops the states of detectors the policy no longer has, so that state stays bounded by the spec. */
  private static void forgetUnconfigured(PolicySpec policy, PolicyState s) {
    s.detectors.keySet().retainAll(policy.detectors().stream().map(DetectorSpec::id).toList());
  }

  /**
   * The seed of a detector's random numbers: fixed by model, segment, spec and detector, so a replay
   * or a restore of the same input draws the same numbers.
   */
  static long seed(MonitorSpec spec, String segment, DetectorSpec<?, ?> detector) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(
          String.join("|", spec.modelId(), segment, spec.specHash(), detector.id()).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Decision gate(MonitorSpec spec, String segment, PolicyState s, List<String> reasons, List<Evidence> evidence,
      List<Alert> alerts, String referenceId, String windowStart, String windowEnd, long now) {
    long end = Instant.parse(windowEnd).toEpochMilli();
    if (!s.armed) {
      return new Decision(alerts, null, "rearm");
    }
    if (s.lastTrigger != Long.MIN_VALUE && end < s.lastTrigger + spec.policy().cooldown().toMillis()) {
      return new Decision(alerts, null, "cooldown");
    }
    s.armed = false;
    s.clearStreak = 0;
    s.lastTrigger = end;
    String version = spec.specHash().substring(0, 12);
    String id = triggerId(spec.modelId(), segment, windowEnd, version);
    RetrainTrigger trigger = new RetrainTrigger(id, spec.modelId(), segment, List.copyOf(reasons), List.copyOf(evidence),
        referenceId, s.episodeStart == null ? windowStart : s.episodeStart, windowEnd, Instant.ofEpochMilli(now).toString(), version);
    List<Alert> out = new ArrayList<>(alerts);
    out.add(new Alert("alert-" + id, "critical", "retrain_trigger", spec.modelId(), segment,
        who(spec, segment) + ": retrain triggered: "
            + String.join("; ", reasons), id, windowStart, windowEnd, Instant.ofEpochMilli(now).toString(), version, List.copyOf(evidence)));
    s.episodeStart = null;
    return new Decision(out, trigger, null);
  }

  /** Deterministic: the same model, segment, deciding window and policy always give the same id. */
  static String triggerId(String modelId, String segment, String windowEnd, String policyVersion) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(
          String.join("|", modelId, segment, windowEnd, policyVersion).getBytes(StandardCharsets.UTF_8));
      return "trg-" + HexFormat.of().formatHex(digest, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Alert alert(String severity, String kind, MonitorSpec spec, String segment, String windowStart,
      String windowEnd, String triggerId, long now, String message, List<Evidence> evidence) {
    String id = "alert-" + triggerId(spec.modelId(), segment + "|" + kind + "|" + message.hashCode(), windowEnd,
        spec.specHash().substring(0, 12));
    return new Alert(id, severity, kind, spec.modelId(), segment, message, triggerId, windowStart, windowEnd,
        Instant.ofEpochMilli(now).toString(), spec.specHash().substring(0, 12), List.copyOf(evidence));
  }

  /** {@code model} for the whole model, {@code model [segment]} for a segment. */
  private static String who(MonitorSpec spec, String segment) {
    return spec.modelId() + (segment.equals(DriftResult.ALL_SEGMENTS) ? "" : " [" + segment + "]");
  }

  private static Evidence fromResult(String condition, DriftResult r) {
    return new Evidence(condition, r.windowStart(), r.windowEnd(), r.feature(), r.test(), null, r.statistic(),
        r.threshold(), null);
  }

  private static Evidence perfEvidence(String condition, PerformanceResult p, PerformanceMetric m, Double v, double limit) {
    return new Evidence(condition, p.windowStart(), p.windowEnd(), null, null, m == null ? "error_rate" : m.id(), v, limit,
        p.labelCoverage());
  }

  private static String earliest(List<Evidence> evidence, String fallback) {
    return evidence.stream().map(Evidence::windowStart).filter(x -> x != null).min(String::compareTo).orElse(fallback);
  }

  /** The window's estimated {@code m} (from the estimate beside its realized metrics), or null. */
  static Double estimatedValue(PerformanceResult r, PerformanceMetric m) {
    PerformanceEstimate e = r.estimate();
    if (e == null) {
      return null;
    }
    EstimatedMetric metric = switch (m) {
      case ACCURACY -> e.accuracy();
      case PRECISION -> e.precision();
      case RECALL -> e.recall();
      case F1 -> e.f1();
      case AUC -> e.auc();
      default -> null;
    };
    return metric == null ? null : metric.value();
  }

  static Double value(PerformanceResult r, PerformanceMetric m) {
    return switch (m) {
      case ACCURACY -> r.accuracy();
      case PRECISION -> r.precision();
      case RECALL -> r.recall();
      case F1 -> r.f1();
      case AUC -> r.auc();
      case LOG_LOSS -> r.logLoss();
      case BRIER -> r.brier();
      case MAE -> r.mae();
      case RMSE -> r.rmse();
    };
  }

  private static Double errorRate(MonitorSpec spec, PerformanceResult r) {
    if (spec.task() == Task.BINARY_CLASSIFICATION) {
      return r.accuracy() == null ? null : 1 - r.accuracy();
    }
    return r.mae();
  }

  private static boolean worse(PolicySpec.PerformanceCondition c, double v) {
    return c.metric().higherIsBetter() ? v < c.limit() : v > c.limit();
  }

  private static int maxN(PolicySpec policy) {
    int n = 1;
    for (PolicySpec.PerformanceCondition c : policy.performance()) {
      n = Math.max(n, c.n());
    }
    return n;
  }

  private static void trim(TreeSet<String> set, int max) {
    while (set.size() > max) {
      set.pollFirst();
    }
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
