package dev.driftline.core.spec;

import dev.driftline.core.drift.DriftTest;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * A drift test as configured for one feature type (or one feature).
 *
 * @param threshold alpha for p-value tests, the distance threshold otherwise
 * @param bins number of reference-quantile bins for binned tests on numeric features (PSI,
 *     Jensen–Shannon, Hellinger); ignored elsewhere
 * @param options the test's own options beyond these (e.g. chi-square's {@code min_expected},
 *     {@code size_aware} of the binned distances as 1 or 0), by spec key; absent keys take the
 *     test's defaults
 */
public record DriftTestSpec(DriftTest test, double threshold, int bins, Map<String, Double> options)
    implements Serializable {
  public static final int DEFAULT_BINS = 10;

  public DriftTestSpec {
    options = options == null || options.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(options));
  }

  /** Without options of its own. */
  public DriftTestSpec(DriftTest test, double threshold, int bins) {
    this(test, threshold, bins, Map.of());
  }

  public static DriftTestSpec withDefaults(DriftTest test) {
    return test.defaults();
  }

  /** The option {@code key}, or {@code fallback} when the spec did not set it. */
  public double option(String key, double fallback) {
    return options.getOrDefault(key, fallback);
  }

  /** This spec with {@code key} set to {@code value}. */
  public DriftTestSpec withOption(String key, double value) {
    Map<String, Double> next = new TreeMap<>(options);
    next.put(key, value);
    return new DriftTestSpec(test, threshold, bins, next);
  }
}
