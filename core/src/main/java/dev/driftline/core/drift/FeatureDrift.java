package dev.driftline.core.drift;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import java.util.Map;

/**
 * The outcome of one drift test on one feature.
 *
 * @param test the test's id ({@code ks}, {@code psi}, {@code chi2}, ...); for {@code auto}, the
 *     test it chose
 * @param pValue NaN for distance tests (serialized as absent)
 * @param adjustedPValue the p-value after multiple-testing control across the model's features;
 *     NaN for distance tests
 * @param threshold alpha for p-value tests (compared with the adjusted p-value), the distance
 *     threshold otherwise
 * @param method how the statistic was computed: {@code exact}, {@code asymptotic}, {@code sketch},
 *     {@code histogram}, {@code binned}, {@code counts}
 * @param methodReason for {@code auto}, why this test was chosen (e.g. {@code "numeric, reference
 *     n=72001 > 1000: wasserstein"}); null otherwise
 * @param level PSI reading ({@code stable}, {@code moderate}, {@code major}); null for other tests
 * @param errorBound for KS on a sketch or a coarsened histogram, the bound on the statistic's
 *     error; null otherwise
 * @param details extra numbers {@code driftline stats} prints (not part of the result document)
 * @param bins PSI only: the counts it compared (see {@link DriftBins}); a stream result carries them
 *     to its document, a batch report's JSON does not; null for other tests
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureDrift(
    String feature,
    String featureType,
    String test,
    double statistic,
    @JsonProperty("p_value") Double pValue,
    @JsonProperty("adjusted_p_value") Double adjustedPValue,
    double threshold,
    boolean drift,
    String method,
    String methodReason,
    long nReference,
    long nCurrent,
    String level,
    Double errorBound,
    @JsonIgnore Map<String, Object> details,
    @JsonIgnore DriftBins bins) {

  /** The key in {@link #details} of the lower end of a band threshold: a statistic below it drifts. */
  public static final String LOWER = "lower";
  /** The key in {@link #details} of the upper end of a band threshold: a statistic above it drifts. */
  public static final String UPPER = "upper";

  /** The lower end of the band of a test that flags a statistic outside one ({@code pca_reconstruction}), or null. */
  @JsonIgnore
  public Double thresholdLower() {
    return bound(LOWER);
  }

  /** The upper end of the band of a test that flags a statistic outside one, or null. */
  @JsonIgnore
  public Double thresholdUpper() {
    return bound(UPPER);
  }

  private Double bound(String key) {
    return details != null && details.get(key) instanceof Number n ? n.doubleValue() : null;
  }

  /** A result without bins. */
  public FeatureDrift(String feature, String featureType, String test, double statistic, Double pValue,
      Double adjustedPValue, double threshold, boolean drift, String method, String methodReason, long nReference,
      long nCurrent, String level, Double errorBound, Map<String, Object> details) {
    this(feature, featureType, test, statistic, pValue, adjustedPValue, threshold, drift, method, methodReason,
        nReference, nCurrent, level, errorBound, details, null);
  }

  /** A result without {@code method_reason} or details. */
  public FeatureDrift(String feature, String featureType, String test, double statistic, Double pValue,
      Double adjustedPValue, double threshold, boolean drift, String method, long nReference, long nCurrent,
      String level, Double errorBound) {
    this(feature, featureType, test, statistic, pValue, adjustedPValue, threshold, drift, method, null,
        nReference, nCurrent, level, errorBound, null);
  }

  /** A distance result: drift when {@code statistic} is above the spec's threshold. */
  public static FeatureDrift distance(String feature, FeatureType type, DriftTestSpec spec, double statistic,
      String method, long nReference, long nCurrent, String level) {
    return new FeatureDrift(feature, type.id(), spec.test().id(), statistic, null, null, spec.threshold(),
        spec.test().isDrift(statistic, spec.threshold()), method, nReference, nCurrent, level, null);
  }

  /** A p-value result: drift when {@code pValue} is below the spec's alpha. */
  public static FeatureDrift pValue(String feature, FeatureType type, DriftTestSpec spec, double statistic,
      double pValue, String method, long nReference, long nCurrent, Double errorBound) {
    return new FeatureDrift(feature, type.id(), spec.test().id(), statistic, pValue, pValue, spec.threshold(),
        pValue < spec.threshold(), method, nReference, nCurrent, null, errorBound);
  }

  /** Whether this is a data-quality check's result ({@code drift} then means the check failed). */
  @JsonIgnore
  public boolean isQuality() {
    return DriftTests.isQualityCheck(test);
  }

  public FeatureDrift withAdjusted(double adjusted, boolean isDrift) {
    return new FeatureDrift(feature, featureType, test, statistic, pValue, adjusted, threshold,
        isDrift, method, methodReason, nReference, nCurrent, level, errorBound, details, bins);
  }

  /** The same statistic read against another threshold (distances only). */
  public FeatureDrift withThreshold(double newThreshold, boolean isDrift) {
    return new FeatureDrift(feature, featureType, test, statistic, pValue, adjustedPValue, newThreshold,
        isDrift, method, methodReason, nReference, nCurrent, level, errorBound, details, bins);
  }

  public FeatureDrift withMethodReason(String reason) {
    return new FeatureDrift(feature, featureType, test, statistic, pValue, adjustedPValue, threshold,
        drift, method, reason, nReference, nCurrent, level, errorBound, details, bins);
  }

  public FeatureDrift withDetails(Map<String, Object> extra) {
    return new FeatureDrift(feature, featureType, test, statistic, pValue, adjustedPValue, threshold,
        drift, method, methodReason, nReference, nCurrent, level, errorBound, extra, bins);
  }

  public FeatureDrift withBins(DriftBins counts) {
    return new FeatureDrift(feature, featureType, test, statistic, pValue, adjustedPValue, threshold,
        drift, method, methodReason, nReference, nCurrent, level, errorBound, details, counts);
  }

  /** The same result typed {@code featureType} (e.g. {@code score}). */
  public FeatureDrift withFeatureType(String type) {
    return new FeatureDrift(feature, type, test, statistic, pValue, adjustedPValue, threshold,
        drift, method, methodReason, nReference, nCurrent, level, errorBound, details, bins);
  }
}
