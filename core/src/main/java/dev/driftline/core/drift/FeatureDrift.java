package dev.driftline.core.drift;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The outcome of one drift test on one feature.
 *
 * @param test the test's id ({@code ks}, {@code psi}, {@code chi2}, ...)
 * @param pValue NaN for distance tests (serialized as absent)
 * @param adjustedPValue the p-value after multiple-testing control across the model's features;
 *     NaN for distance tests
 * @param threshold alpha for p-value tests (compared with the adjusted p-value), the distance
 *     threshold otherwise
 * @param method how the statistic was computed: {@code exact}, {@code asymptotic}, {@code sketch},
 *     {@code binned}, {@code counts}
 * @param level PSI reading ({@code stable}, {@code moderate}, {@code major}); null for other tests
 * @param errorBound for sketch-based KS, the bound on the statistic's error; NaN otherwise
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
    long nReference,
    long nCurrent,
    String level,
    Double errorBound) {

  FeatureDrift withAdjusted(double adjusted, boolean isDrift) {
    return new FeatureDrift(feature, featureType, test, statistic, pValue, adjusted, threshold,
        isDrift, method, nReference, nCurrent, level, errorBound);
  }
}
