package dev.driftline.core.detect;

import dev.driftline.core.detect.detectors.AdwinDetector;
import dev.driftline.core.detect.detectors.ErtCusumDetector;
import dev.driftline.core.detect.detectors.PageHinkleyDetector;
import java.util.List;
import java.util.Optional;

/** The one list of online detectors: the spec parser and the policy engine read it. */
public final class OnlineDetectors {
  private static final List<OnlineDetector<?, ?>> ALL = List.of(
      PageHinkleyDetector.INSTANCE,
      AdwinDetector.INSTANCE,
      ErtCusumDetector.INSTANCE);

  private OnlineDetectors() {}

  /** Every registered detector, in the order a policy evaluates them and lists their reasons. */
  public static List<OnlineDetector<?, ?>> all() {
    return ALL;
  }

  /** Their keys under {@code policy}. */
  public static List<String> ids() {
    return ALL.stream().map(OnlineDetector::id).toList();
  }

  public static Optional<OnlineDetector<?, ?>> find(String id) {
    return ALL.stream().filter(d -> d.id().equals(id)).findFirst();
  }
}
