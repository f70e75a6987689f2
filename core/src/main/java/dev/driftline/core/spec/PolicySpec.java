package dev.driftline.core.spec;

import dev.driftline.core.detect.DetectorSpec;
import dev.driftline.core.detect.OnlineDetector;
import dev.driftline.core.detect.detectors.PageHinkleyDetector;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * When a model must be retrained. Any condition firing produces a trigger, subject to cooldown and
 * re-arming; warnings produce alerts only.
 *
 * @param performance performance conditions, each over K of the last N windows
 * @param datasetDrift null when not configured
 * @param psiHardLimit PSI above this on any feature fires a trigger
 * @param detectors the online detectors configured (Page–Hinkley, ADWIN, ERT, ...), in the order of
 *     {@link dev.driftline.core.detect.OnlineDetectors#all()}
 * @param cooldown no second trigger for the same model (and segment) within this period
 * @param rearmAfterWindows after a trigger, the condition must have cleared for this many windows
 *     before it can fire again
 * @param warnPsi PSI at or above this (and not above the hard limit) raises a warning alert
 * @param minSamples drift results computed on fewer current values than this (small segments,
 *     quiet windows) are reported but do not count towards any trigger or alert
 * @param dataQuality ids of data-quality checks ({@code policy.data_quality}) whose failure on any
 *     feature fires a trigger; a failure of another configured check raises a warning alert
 */
public record PolicySpec(
    List<PerformanceCondition> performance,
    DatasetDriftCondition datasetDrift,
    double psiHardLimit,
    List<DetectorSpec<?, ?>> detectors,
    Duration cooldown,
    int rearmAfterWindows,
    double warnPsi,
    int minSamples,
    List<String> dataQuality) implements Serializable {

  public static final double DEFAULT_PSI_HARD_LIMIT = 0.25;
  public static final double DEFAULT_WARN_PSI = 0.1;
  public static final int DEFAULT_MIN_SAMPLES = 200;

  public PolicySpec {
    detectors = List.copyOf(detectors);
    dataQuality = dataQuality == null ? List.of() : List.copyOf(dataQuality);
  }

  public static PolicySpec defaults() {
    return new PolicySpec(
        List.of(), null, DEFAULT_PSI_HARD_LIMIT, List.of(), Duration.ofHours(24), 1, DEFAULT_WARN_PSI, DEFAULT_MIN_SAMPLES,
        List.of());
  }

  /** The options of {@code detector}, or null when the policy does not configure it. */
  @SuppressWarnings("unchecked")
  public <O extends Serializable> O options(OnlineDetector<O, ?> detector) {
    return detectors.stream().filter(d -> d.detector() == detector).map(d -> (O) d.options()).findFirst().orElse(null);
  }

  /** The Page–Hinkley options, or null when not configured. */
  public PageHinkleyDetector.Options pageHinkley() {
    return options(PageHinkleyDetector.INSTANCE);
  }

  /**
   * A metric worse than {@code limit} (below for scores, above for errors) in {@code k} of the last
   * {@code n} windows that have at least {@code minLabelCoverage} of their predictions labelled.
   *
   * @param estimateBelowCoverage a window with less label coverage than this is judged by its
   *     estimated metric (performance estimation before labels) instead; 0 (the default) never
   */
  public record PerformanceCondition(
      PerformanceMetric metric, double limit, int k, int n, double minLabelCoverage, double estimateBelowCoverage)
      implements Serializable {

    /** A condition on realized metrics only. */
    public PerformanceCondition(PerformanceMetric metric, double limit, int k, int n, double minLabelCoverage) {
      this(metric, limit, k, n, minLabelCoverage, 0.0);
    }
  }

  /** The share of drifted features at or above {@code share} in {@code k} of the last {@code n} windows. */
  public record DatasetDriftCondition(double share, int k, int n) implements Serializable {}
}
