package dev.driftline.core.trigger;

import java.util.ArrayList;
import java.util.List;

/**
 * What the policy's conditions found in one window, in the order they found it: the reasons to
 * retrain with their evidence, and the warning alerts of conditions that fired but do not trigger.
 */
final class Findings {
  final List<String> reasons = new ArrayList<>();
  final List<Evidence> evidence = new ArrayList<>();
  final List<Alert> alerts = new ArrayList<>();

  void reason(String reason, Evidence e) {
    reasons.add(reason);
    evidence.add(e);
  }

  boolean triggers() {
    return !reasons.isEmpty();
  }

  /** The earliest window start of the evidence, else {@code fallback}: where an episode begins. */
  String earliest(String fallback) {
    return evidence.stream().map(Evidence::windowStart).filter(x -> x != null).min(String::compareTo).orElse(fallback);
  }
}
