package dev.driftline.core.stats;

/**
 * Two-sided Kolmogorov-Smirnov test computed from quantile sketches (streaming windows of any size).
 *
 * <p>Everything here is approximate:
 * <ul>
 *   <li>{@code statistic} is D between the sketches' empirical CDFs; with high probability (the
 *       sketches' confidence, ~99% for KLL) it is within {@code statisticErrorBound} of the D
 *       between the full streams.</li>
 *   <li>{@code pValue} is the asymptotic p-value of {@code statistic} with effective size
 *       {@code round(nReference*nCurrent/(nReference+nCurrent))}, i.e. what scipy's
 *       {@code ks_2samp(method='asymp')} would report if the streams' D equalled {@code statistic}.
 *       For large windows the sketch error can dominate the sampling noise, so prefer
 *       {@code conservativePValue} for alerting.</li>
 *   <li>{@code conservativePValue} is the same p-value at {@code max(0, statistic - statisticErrorBound)}:
 *       an upper bound on the p-value of the true D (within the sketches' confidence), so
 *       {@code conservativePValue < alpha} flags drift only when the sketch error cannot explain it.</li>
 * </ul>
 *
 * @param statistic           sketch estimate of D, in [0, 1]
 * @param pValue              asymptotic p-value of {@code statistic}
 * @param method              {@link KsMethod#SKETCH}, or {@link KsMethod#HISTOGRAM} for coarsened
 *                            histograms, whose statistic is a lower bound of D (see
 *                            {@link KolmogorovSmirnov#ofBuckets})
 * @param nReference          items seen by the reference sketch
 * @param nCurrent            items in the current window (sketch or raw)
 * @param statisticErrorBound additive bound on |statistic - D_true|: the sum of the normalized
 *                            rank errors ({@code getNormalizedRankError(false)}) of the sketched sides
 * @param conservativePValue  asymptotic p-value at {@code max(0, statistic - statisticErrorBound)}
 */
public record SketchKsResult(double statistic, double pValue, KsMethod method, long nReference,
                             long nCurrent, double statisticErrorBound, double conservativePValue) {

  /** True when drift is flagged at level {@code alpha} even after allowing for the sketch error. */
  public boolean drift(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    }
    return conservativePValue < alpha;
  }

  /**
   * The same result as a {@link KsResult} (statistic and approximate {@code pValue}, method SKETCH).
   *
   * @throws ArithmeticException if a count does not fit in an int
   */
  public KsResult toKsResult() {
    return new KsResult(statistic, pValue, KsMethod.SKETCH,
        Math.toIntExact(nReference), Math.toIntExact(nCurrent));
  }
}
