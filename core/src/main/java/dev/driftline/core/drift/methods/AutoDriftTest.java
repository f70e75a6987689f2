package dev.driftline.core.drift.methods;

import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.SpecNode;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Evidently's default choice of test, per feature and window, from the reference size:
 * <ul>
 *   <li>numeric, reference n <= {@value #SMALL_REFERENCE}: KS at alpha 0.05;</li>
 *   <li>numeric, larger reference: Wasserstein (normalized by the reference std) at 0.1;</li>
 *   <li>categorical, reference n <= {@value #SMALL_REFERENCE}: the two-proportion z-test at 0.05
 *       when the reference and window hold two categories between them, chi-square at 0.05
 *       otherwise;</li>
 *   <li>categorical, larger reference: Jensen–Shannon distance at 0.1.</li>
 * </ul>
 * Each chosen test runs with Driftline's defaults, so its distances are size-aware ({@link SizeAware};
 * Evidently applies 0.1 as it is). Each result is the chosen test's (its id in {@code test}) with the reason in
 * {@code method_reason}, e.g. {@code "numeric, reference n=72001 > 1000: wasserstein"}.
 */
public enum AutoDriftTest implements DriftTest {
  INSTANCE;

  /** References up to this many values get a hypothesis test; larger ones a distance. */
  public static final long SMALL_REFERENCE = 1000;

  /** Its threshold is not used: each chosen test brings its own default. */
  private static final Definition DEFINITION = Definition.distance("auto",
      List.of(FeatureType.NUMERIC, FeatureType.CATEGORICAL), Double.NaN,
      "Evidently's rule: KS / chi-square / z-test for references of at most 1000 values, "
          + "Wasserstein (normalized) / Jensen–Shannon above.");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  @Override
  public List<String> optionKeys(FeatureType type) {
    return List.of();
  }

  @Override
  public DriftTestSpec configure(SpecNode options, FeatureType type) {
    if (options.isPresent()) {
      throw options.error("auto takes no options; each test it chooses runs with its default alpha or threshold");
    }
    return defaults();
  }

  @Override
  public FeatureDrift numeric(String feature, NumericSummary reference, long nReference, NumericSample current,
      DriftTestSpec spec) {
    DriftTest chosen = nReference <= SMALL_REFERENCE ? KsDriftTest.INSTANCE : WassersteinDriftTest.INSTANCE;
    String reason = "numeric, reference n=" + nReference + (nReference <= SMALL_REFERENCE ? " <= " : " > ")
        + SMALL_REFERENCE + ": " + chosen.id();
    return chosen.numeric(feature, reference, nReference, current, chosen.defaults()).withMethodReason(reason);
  }

  @Override
  public FeatureDrift categorical(String feature, Map<String, Long> reference, Map<String, Long> current,
      DriftTestSpec spec) {
    long nReference = Counts.total(reference);
    String reason;
    DriftTest chosen;
    if (nReference > SMALL_REFERENCE) {
      chosen = JensenShannonDriftTest.INSTANCE;
      reason = "categorical, reference n=" + nReference + " > " + SMALL_REFERENCE + ": " + chosen.id();
    } else {
      TreeSet<String> categories = new TreeSet<>(reference.keySet());
      categories.addAll(current.keySet());
      chosen = categories.size() <= 2 ? ZTestDriftTest.INSTANCE : ChiSquareDriftTest.INSTANCE;
      reason = "categorical, " + categories.size() + (categories.size() == 1 ? " category" : " categories")
          + ", reference n=" + nReference + " <= " + SMALL_REFERENCE + ": " + chosen.id();
    }
    return chosen.categorical(feature, reference, current, chosen.defaults()).withMethodReason(reason);
  }
}
