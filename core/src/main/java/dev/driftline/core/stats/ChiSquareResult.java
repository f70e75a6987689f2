package dev.driftline.core.stats;

/**
 * Outcome of a chi-square test of homogeneity.
 *
 * @param statistic Pearson's chi-square statistic (>= 0), without continuity correction
 * @param pValue upper-tail probability of the statistic under chi-square({@code degreesOfFreedom})
 * @param degreesOfFreedom {@code categories - 1} (0 when at most one category remains)
 * @param categories number of categories tested (those with a positive total over both samples)
 */
public record ChiSquareResult(double statistic, double pValue, int degreesOfFreedom, int categories) {}
