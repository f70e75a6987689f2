package dev.driftline.core.stats;

/** How a Kolmogorov-Smirnov p-value was obtained. */
public enum KsMethod {
  /** Exact null distribution of the two-sample statistic (lattice-path counting). */
  EXACT,
  /** Kolmogorov distribution {@code kstwo.sf(D, round(n1*n2/(n1+n2)))}, as scipy's 'asymp'. */
  ASYMPTOTIC,
  /** Statistic from quantile sketches, p-value asymptotic; both approximate (see SketchKsResult). */
  SKETCH,
  /**
   * Statistic read at the bucket edges of a coarsened {@link NumericHistogram} (a lower bound of the
   * samples' D), p-value asymptotic at it and therefore conservative (see
   * {@link KolmogorovSmirnov#ofBuckets}).
   */
  HISTOGRAM
}
