package dev.driftline.core.drift;

import java.util.List;

/**
 * Drift of a whole current data set against a model's baseline.
 *
 * @param multipleTesting the correction applied across the model's p-value tests
 * @param featuresDrifted features with at least one test flagging drift
 * @param driftShare featuresDrifted / featuresTested
 */
public record DriftReport(
    String modelId,
    String profileId,
    String specHash,
    String current,
    long rows,
    String multipleTesting,
    List<FeatureDrift> results,
    int featuresTested,
    int featuresDrifted,
    double driftShare) {}
