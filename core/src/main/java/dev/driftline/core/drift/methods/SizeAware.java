package dev.driftline.core.drift.methods;

import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.spec.DriftTestSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;

/**
 * The {@code size_aware} option of the distances (PSI and the {@link BinnedDistance}s, the
 * {@link ScaledDistance}s), on unless a spec says {@code size_aware: false}: the threshold becomes the larger
 * of the configured one and what the distance reaches by chance at the window's and the
 * reference's sizes (see {@link dev.driftline.core.stats.NoDriftQuantile}), so small windows stop
 * firing on noise. The result's {@code threshold} is the one applied; {@code size_aware: false}
 * applies the configured threshold as it is.
 */
public final class SizeAware {
  /** The spec key. */
  public static final String KEY = "size_aware";

  private SizeAware() {}

  /** On unless the spec turns it off. */
  static final boolean DEFAULT = true;

  static Map<String, DriftTest.Option> options() {
    return Map.of(KEY, DriftTest.Option.flag(DEFAULT));
  }

  static boolean on(DriftTestSpec spec) {
    return spec.option(KEY, DEFAULT ? 1 : 0) != 0;
  }

  /**
   * {@code result} read against {@code max(threshold, noDrift)} when the spec asks for it; the
   * quantile is computed only then.
   */
  static FeatureDrift apply(FeatureDrift result, DriftTestSpec spec, DoubleSupplier noDriftQuantile) {
    if (!on(spec)) {
      return result;
    }
    double noDrift = noDriftQuantile.getAsDouble();
    double threshold = Math.max(spec.threshold(), noDrift);
    Map<String, Object> details = new LinkedHashMap<>();
    if (result.details() != null) {
      details.putAll(result.details());
    }
    details.put("configured_threshold", spec.threshold());
    details.put("no_drift_quantile", noDrift);
    return result.withThreshold(threshold, spec.test().isDrift(result.statistic(), threshold)).withDetails(details);
  }

  /** Categories seen on either side. */
  static int categories(Map<String, Long> reference, Map<String, Long> current) {
    TreeSet<String> union = new TreeSet<>();
    reference.forEach((k, v) -> {
      if (v > 0) {
        union.add(k);
      }
    });
    current.forEach((k, v) -> {
      if (v > 0) {
        union.add(k);
      }
    });
    return union.size();
  }
}
