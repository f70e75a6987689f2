package dev.driftline.core.results;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.driftline.core.drift.DriftBins;
import dev.driftline.core.drift.DriftTests;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.results.DriftResult;
import java.time.Instant;

/**
 * One drift test result for a (model, segment, feature, window), as written to the
 * {@code drift-results} topic and the {@code driftline-drift-*} indices.
 *
 * @param segment {@link #ALL_SEGMENTS} for the model as a whole
 * @param windowStart ISO-8601, inclusive
 * @param windowEnd ISO-8601, exclusive
 * @param methodReason for {@code auto} specs, why this test was chosen; absent otherwise
 * @param referenceId the baseline compared with
 * @param computedAt ISO-8601, when the window closed (processing time)
 * @param labelCoverage label drift ({@link #LABEL_FEATURE}) only: the share of the window's
 *     predictions whose label was known when the result was computed; absent otherwise
 * @param bins PSI results only: the reference and window counts PSI compared ({@link DriftBins}),
 *     at most {@value DriftBins#MAX_CATEGORIES} categories or the spec's PSI bins; absent for other
 *     tests and in results written before it existed. Stored, not indexed, by the index template
 * @param thresholdLower tests that flag a statistic outside a band ({@code pca_reconstruction}):
 *     its lower end (drift when {@code statistic} is below it); absent for other tests
 * @param thresholdUpper the band's upper end (drift when {@code statistic} is above it; equal to
 *     {@code threshold}); absent for other tests
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DriftResult(
    String modelId,
    String segment,
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
    String level,
    Double errorBound,
    String windowStart,
    String windowEnd,
    long nReference,
    long nCurrent,
    String referenceId,
    String computedAt,
    Double labelCoverage,
    DriftBins bins,
    Double thresholdLower,
    Double thresholdUpper) {

  public static final String ALL_SEGMENTS = "__all__";
  /** The feature name of label drift results: the labels known for a window against the reference's. */
  public static final String LABEL_FEATURE = "__label__";
  /** The {@code feature_type} of label drift results. */
  public static final String LABEL_TYPE = "label";

  /** A result without a band threshold. */
  public DriftResult(String modelId, String segment, String feature, String featureType, String test,
      double statistic, Double pValue, Double adjustedPValue, double threshold, boolean drift, String method,
      String methodReason, String level, Double errorBound, String windowStart, String windowEnd, long nReference,
      long nCurrent, String referenceId, String computedAt, Double labelCoverage, DriftBins bins) {
    this(modelId, segment, feature, featureType, test, statistic, pValue, adjustedPValue, threshold, drift,
        method, methodReason, level, errorBound, windowStart, windowEnd, nReference, nCurrent, referenceId, computedAt,
        labelCoverage, bins, null, null);
  }

  /** A result without {@code bins}. */
  public DriftResult(String modelId, String segment, String feature, String featureType, String test,
      double statistic, Double pValue, Double adjustedPValue, double threshold, boolean drift, String method,
      String methodReason, String level, Double errorBound, String windowStart, String windowEnd, long nReference,
      long nCurrent, String referenceId, String computedAt, Double labelCoverage) {
    this(modelId, segment, feature, featureType, test, statistic, pValue, adjustedPValue, threshold, drift,
        method, methodReason, level, errorBound, windowStart, windowEnd, nReference, nCurrent, referenceId, computedAt,
        labelCoverage, null);
  }

  /** A feature or score result: no {@code label_coverage}. */
  public DriftResult(String modelId, String segment, String feature, String featureType, String test,
      double statistic, Double pValue, Double adjustedPValue, double threshold, boolean drift, String method,
      String methodReason, String level, Double errorBound, String windowStart, String windowEnd, long nReference,
      long nCurrent, String referenceId, String computedAt) {
    this(modelId, segment, feature, featureType, test, statistic, pValue, adjustedPValue, threshold, drift,
        method, methodReason, level, errorBound, windowStart, windowEnd, nReference, nCurrent, referenceId, computedAt,
        null);
  }

  /** A result without {@code method_reason} (every test but {@code auto}). */
  public DriftResult(String modelId, String segment, String feature, String featureType, String test,
      double statistic, Double pValue, Double adjustedPValue, double threshold, boolean drift, String method,
      String level, Double errorBound, String windowStart, String windowEnd, long nReference, long nCurrent,
      String referenceId, String computedAt) {
    this(modelId, segment, feature, featureType, test, statistic, pValue, adjustedPValue, threshold, drift,
        method, null, level, errorBound, windowStart, windowEnd, nReference, nCurrent, referenceId, computedAt, null);
  }

  public static DriftResult of(String modelId, String segment, long windowStart, long windowEnd,
      FeatureDrift d, String referenceId, long computedAt) {
    return new DriftResult(modelId, segment, d.feature(), d.featureType(), d.test(), d.statistic(),
        d.pValue(), d.adjustedPValue(), d.threshold(), d.drift(), d.method(), d.methodReason(), d.level(),
        d.errorBound(),
        Instant.ofEpochMilli(windowStart).toString(), Instant.ofEpochMilli(windowEnd).toString(),
        d.nReference(), d.nCurrent(), referenceId, Instant.ofEpochMilli(computedAt).toString(), null, d.bins(),
        d.thresholdLower(), d.thresholdUpper());
  }

  /** This result with the window's label coverage (label drift results). */
  public DriftResult withLabelCoverage(double coverage) {
    return new DriftResult(modelId, segment, feature, featureType, test, statistic, pValue, adjustedPValue, threshold,
        drift, method, methodReason, level, errorBound, windowStart, windowEnd, nReference, nCurrent, referenceId,
        computedAt, coverage, bins, thresholdLower, thresholdUpper);
  }

  /** Whether this is a label drift result (not a feature's or the score's). */
  @JsonIgnore
  public boolean isLabel() {
    return LABEL_TYPE.equals(featureType);
  }

  /** Whether this is a data-quality check's result (not a drift test's). */
  @JsonIgnore
  public boolean isQuality() {
    return DriftTests.isQualityCheck(test);
  }

  /** Deterministic document id: a replayed window overwrites its earlier result. */
  @JsonIgnore
  public String id() {
    return String.join("|", modelId, segment, feature, test, windowStart, windowEnd);
  }
}
