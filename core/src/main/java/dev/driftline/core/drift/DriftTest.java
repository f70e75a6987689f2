package dev.driftline.core.drift;

import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.SpecNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One drift test: its name, the feature types it applies to, its spec options and their
 * validation, and how it compares a window with a reference. A hypothesis test flags drift when
 * its p-value is below alpha; a distance flags drift when it is above its threshold.
 *
 * <p>Implementations are stateless singletons (one-constant enums, so Java serialization keeps
 * them singletons) listed in {@link DriftTests}, which the spec parser, the evaluator, {@code test:
 * auto} and {@code driftline stats} all read. Adding a test is one class, one line in
 * {@link DriftTests#all()} and its tests; the drift-result schema's test names and the table of
 * docs/statistics.md are then regenerated ({@code bin/driftline registry write},
 * {@link dev.driftline.core.schema.RegistryFiles}).
 */
public interface DriftTest extends Serializable {

  /**
   * What every test states about itself: its name, help text, feature types, how it reads (p-value
   * or distance) and its default alpha or threshold. Each test holds one as a constant; the methods
   * below read it.
   *
   * @param id name in specs and results ({@code ks}, {@code psi}, ...)
   * @param description one line for help texts
   * @param featureTypes the types it applies to, the one {@code driftline stats} assumes first
   * @param pValueTest true for tests read by p-value against alpha
   * @param defaultThreshold alpha for p-value tests, the distance threshold otherwise
   */
  record Definition(String id, String description, List<FeatureType> featureTypes, boolean pValueTest,
      double defaultThreshold) implements Serializable {
    /** A hypothesis test, flagged when its p-value is below {@code alpha}. */
    public static Definition pValue(String id, List<FeatureType> types, double alpha, String description) {
      return new Definition(id, description, types, true, alpha);
    }

    /** A distance or share, flagged when it is above {@code threshold}. */
    public static Definition distance(String id, List<FeatureType> types, double threshold, String description) {
      return new Definition(id, description, types, false, threshold);
    }
  }

  /** Its name, description, feature types, kind and default threshold. */
  Definition definition();

  /** Name in specs and results ({@code ks}, {@code psi}, ...). */
  default String id() {
    return definition().id();
  }

  /** Other names accepted by {@code driftline stats} (e.g. {@code js}). */
  default List<String> aliases() {
    return List.of();
  }

  /** One line for help texts. */
  default String description() {
    return definition().description();
  }

  /**
   * The feature types it applies to; the first is what {@code driftline stats} assumes when given
   * neither {@code --numeric} nor {@code --categorical}.
   */
  default List<FeatureType> featureTypes() {
    return definition().featureTypes();
  }

  default boolean appliesTo(FeatureType type) {
    return featureTypes().contains(type);
  }

  /**
   * Whether it reads all features of a window together (configured by its own spec key, not under
   * {@code tests}, and not offered by {@code driftline stats}).
   */
  default boolean multivariate() {
    return false;
  }

  /** True for tests read by p-value against alpha. */
  default boolean isPValueTest() {
    return definition().pValueTest();
  }

  /** Alpha for p-value tests, the distance threshold otherwise. */
  default double defaultThreshold() {
    return definition().defaultThreshold();
  }

  /** The smallest threshold a spec may set (distances: above 0). */
  default double minThreshold() {
    return Double.MIN_VALUE;
  }

  /** The largest threshold a spec may set. */
  default double maxThreshold() {
    return Double.MAX_VALUE;
  }

  /** Whether it compares numbers in reference-quantile bins (the spec may set {@code bins}). */
  default boolean binned(FeatureType type) {
    return false;
  }

  /** Whether a result of this test is drift at the given alpha or threshold. */
  default boolean isDrift(double statisticOrPValue, double threshold) {
    return isPValueTest() ? statisticOrPValue < threshold : statisticOrPValue > threshold;
  }

  /** The spec keys it accepts for {@code type}. */
  default List<String> optionKeys(FeatureType type) {
    List<String> keys = new ArrayList<>();
    keys.add(isPValueTest() ? "alpha" : "threshold");
    if (binned(type)) {
      keys.add("bins");
    }
    keys.addAll(extraOptions(type).keySet());
    return keys;
  }

  /** An option of the test's own: a number in {@code [min, max]}, or a flag (stored as 1 or 0). */
  record Option(double fallback, double min, double max, boolean flag) implements Serializable {
    public static Option number(double fallback, double min, double max) {
      return new Option(fallback, min, max, false);
    }

    public static Option flag(boolean fallback) {
      return new Option(fallback ? 1 : 0, 0, 1, true);
    }
  }

  /** Options beyond alpha or threshold and bins that it accepts for {@code type}, by spec key. */
  default Map<String, Option> extraOptions(FeatureType type) {
    return Map.of();
  }

  /** The test with its default settings. */
  default DriftTestSpec defaults() {
    return new DriftTestSpec(this, defaultThreshold(), DriftTestSpec.DEFAULT_BINS);
  }

  /**
   * Reads and validates its options ({@code options} may be absent or null for the defaults);
   * errors name the spec path.
   */
  default DriftTestSpec configure(SpecNode options, FeatureType type) {
    double threshold = defaultThreshold();
    int bins = DriftTestSpec.DEFAULT_BINS;
    Map<String, Double> extra = new TreeMap<>();
    if (options.isPresent()) {
      options.requireMapping(optionKeys(type).toArray(new String[0]));
      threshold = isPValueTest()
          ? options.get("alpha").number(threshold, Double.MIN_VALUE, 0.5)
          : options.get("threshold").number(threshold, minThreshold(), maxThreshold());
      bins = options.get("bins").integer(bins, 2, 1000);
      for (Map.Entry<String, Option> o : extraOptions(type).entrySet()) {
        SpecNode node = options.get(o.getKey());
        if (node.isPresent()) {
          Option option = o.getValue();
          extra.put(o.getKey(), option.flag()
              ? (node.bool(false) ? 1.0 : 0.0)
              : node.number(option.fallback(), option.min(), option.max()));
        }
      }
    }
    return new DriftTestSpec(this, threshold, bins, extra);
  }

  /**
   * Compares a numeric feature's window with its reference.
   *
   * @param nReference the reference's non-missing count
   */
  default FeatureDrift numeric(String feature, NumericSummary reference, long nReference,
      NumericSample current, DriftTestSpec spec) {
    throw new IllegalArgumentException(id() + " does not apply to numeric feature " + feature);
  }

  /** Compares a categorical feature's counts per category with the reference's. */
  default FeatureDrift categorical(String feature, Map<String, Long> reference, Map<String, Long> current,
      DriftTestSpec spec) {
    throw new IllegalArgumentException(id() + " does not apply to categorical feature " + feature);
  }

  /** The statistic {@code driftline stats} prints for a result of this test. */
  default double statsStatistic(FeatureDrift result) {
    return result.statistic();
  }

  /**
   * Extra fields {@code driftline stats} prints for a result of this test, after the common ones
   * (e.g. PSI's level, chi-square's degrees of freedom).
   */
  default Map<String, Object> statsFields(FeatureDrift result) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    if (result.level() != null) {
      out.put("level", result.level());
    }
    if (result.details() != null) {
      out.putAll(result.details());
    }
    if (result.methodReason() != null) {
      out.put("method_reason", result.methodReason());
    }
    return out;
  }
}
