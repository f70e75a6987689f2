package dev.driftline.core.drift.methods;

import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.stats.PcaModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multivariate drift by PCA reconstruction error ({@link PcaModel}): the window's mean error
 * against the band {@code [lower, upper]} of the reference's chunks. One result per window over
 * all numeric features together, under the feature name {@link #FEATURE}; configured by the spec's
 * {@code pca} key, not under {@code tests}, and its threshold comes from the reference, not the spec.
 */
public enum PcaReconstructionDriftTest implements DriftTest {
  INSTANCE;

  /** The {@code feature} of its results: all numeric features together. */
  public static final String FEATURE = "__pca__";
  /** The {@code feature_type} of its results. */
  public static final String FEATURE_TYPE = "multivariate";

  /**
   * No feature types: it reads all numeric features at once, never one feature's values. Its threshold is not
   * configurable: it is the model's {@code upper}.
   */
  private static final Definition DEFINITION = Definition.distance("pca_reconstruction", List.of(), Double.NaN,
      "PCA reconstruction error of all numeric features together: the window's mean against mean ± 3 sd"
          + " of the reference's chunk means (NannyML's data reconstruction drift).");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  @Override
  public boolean multivariate() {
    return true;
  }

  /**
   * The result for a window whose {@code nCurrent} predictions had mean reconstruction error
   * {@code meanError}: drift when it lies outside {@code [model.lower(), model.upper()]}; the
   * result's threshold is {@code upper}, with both bounds in its details ({@link
   * FeatureDrift#thresholdLower()}, {@link FeatureDrift#thresholdUpper()}).
   */
  public static FeatureDrift evaluate(PcaModel model, long nCurrent, double meanError) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put(FeatureDrift.LOWER, model.lower());
    details.put(FeatureDrift.UPPER, model.upper());
    details.put("components", model.componentCount());
    return new FeatureDrift(FEATURE, FEATURE_TYPE, INSTANCE.id(), meanError, null, null, model.upper(),
        model.isDrift(meanError), "reconstruction", null, (long) model.chunks() * model.chunkSize(), nCurrent, null,
        null, details);
  }
}
