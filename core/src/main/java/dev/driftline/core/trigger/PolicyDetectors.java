package dev.driftline.core.trigger;

import dev.driftline.core.detect.Detection;
import dev.driftline.core.detect.DetectorSpec;
import dev.driftline.core.detect.Watch;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.PolicySpec;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.TreeSet;

/**
 * The policy's online detectors ({@link dev.driftline.core.detect.OnlineDetectors}: Page–Hinkley,
 * ADWIN, the ERT-calibrated CUSUM), each fed once per window: one watching the error rate the first
 * time a performance window's label coverage reaches the largest {@code min_label_coverage} of the
 * performance conditions, one watching a feature's drift statistic each drift window. A detector
 * firing is a reason to retrain, with its statistic and threshold as evidence.
 */
final class PolicyDetectors {
  private PolicyDetectors() {}

  static void onDriftWindow(MonitorSpec spec, String segment, PolicyState s, WindowDriftSummary w, Findings f) {
    PolicySpec policy = spec.policy();
    forgetUnconfigured(policy, s);
    List<DetectorSpec<?, ?>> onFeatures = policy.detectors().stream().filter(d -> !d.watch().isErrorRate()).toList();
    if (onFeatures.isEmpty() || !firstTime(s.driftDetectorFed, w.windowStart(), 4 * PerformanceConditions.maxN(policy))) {
      return;
    }
    for (DetectorSpec<?, ?> d : onFeatures) {
      Watch watch = d.watch();
      DriftResult r = w.results().stream()
          .filter(x -> x.feature().equals(watch.feature()) && x.test().equals(watch.test())).findFirst().orElse(null);
      if (r == null) {
        continue;
      }
      Detection x = d.feed(s.detectors, r.statistic(), seed(spec, segment, d));
      if (x.fired()) {
        f.reason(x.reason(), new Evidence(d.id(), r.windowStart(), r.windowEnd(), r.feature(), r.test(), null, x.value(),
            x.threshold(), null));
      }
    }
  }

  static void onPerformance(MonitorSpec spec, String segment, PolicyState s, PerformanceResult r, Findings f) {
    PolicySpec policy = spec.policy();
    forgetUnconfigured(policy, s);
    List<DetectorSpec<?, ?>> onError = policy.detectors().stream().filter(d -> d.watch().isErrorRate()).toList();
    double minCoverage = policy.performance().stream().mapToDouble(PolicySpec.PerformanceCondition::minLabelCoverage).max().orElse(0);
    Double error = PerformanceConditions.errorRate(spec, r);
    if (onError.isEmpty() || error == null || r.labelCoverage() < minCoverage
        || !firstTime(s.detectorFed, r.windowStart(), 4 * PerformanceConditions.maxN(policy))) {
      return;
    }
    for (DetectorSpec<?, ?> d : onError) {
      Detection x = d.feed(s.detectors, error, seed(spec, segment, d));
      if (x.fired()) {
        f.reason(x.reason(), PerformanceConditions.evidence(d.id(), r, null, x.value(), x.threshold()));
      }
    }
  }

  /**
   * The seed of a detector's random numbers: fixed by model, segment, spec and detector, so a replay
   * or a restore of the same input draws the same numbers.
   */
  static long seed(MonitorSpec spec, String segment, DetectorSpec<?, ?> detector) {
    byte[] digest = TriggerGate.sha256(String.join("|", spec.modelId(), segment, spec.specHash(), detector.id()));
    return ByteBuffer.wrap(digest).getLong();
  }

  /** Drops the states of detectors the policy no longer has, so that state stays bounded by the spec. */
  private static void forgetUnconfigured(PolicySpec policy, PolicyState s) {
    s.detectors.keySet().retainAll(policy.detectors().stream().map(DetectorSpec::id).toList());
  }

  /** Adds {@code window} to the windows fed (keeping the latest {@code max}); false when it was fed before. */
  private static boolean firstTime(TreeSet<String> fed, String window, int max) {
    if (!fed.add(window)) {
      return false;
    }
    trim(fed, max);
    return true;
  }

  static void trim(TreeSet<String> set, int max) {
    while (set.size() > max) {
      set.pollFirst();
    }
  }
}
