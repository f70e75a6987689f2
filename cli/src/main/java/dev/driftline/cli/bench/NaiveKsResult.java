package dev.driftline.cli.bench;

/**
 * One exact two-sample KS result of the naive job, as JSON on its output topic (snake_case, with
 * the same {@code window_end} and {@code computed_at} as the production drift results).
 *
 * @param windowEnd ISO-8601, exclusive
 * @param computedAt ISO-8601, when the window closed (processing time)
 */
public record NaiveKsResult(String modelId, String feature, String windowStart, String windowEnd, double statistic,
    double pValue, String method, int nReference, int nCurrent, boolean drift, String computedAt) {}
