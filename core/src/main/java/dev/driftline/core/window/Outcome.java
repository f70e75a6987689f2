package dev.driftline.core.window;

/**
 * What the label join tells the performance windows about one prediction, at prediction time:
 * that it was made (so label coverage can be computed) and, once known, its label.
 *
 * @param countsAsPrediction true for the record that announces the prediction (with its label if
 *     the label came first); false for a label arriving after its prediction
 * @param label the label, or NaN while unknown
 * @param labelTimestamp the label's event time (epoch millis), which places it among a window's
 *     updates; {@link Long#MIN_VALUE} when unknown or unlabelled
 */
public record Outcome(
    String modelId,
    String segment,
    String predictionId,
    long predictionTimestamp,
    double score,
    double label,
    boolean countsAsPrediction,
    long labelTimestamp) {

  /** An outcome whose label's time is unknown (it counts in the window's first emission). */
  public Outcome(String modelId, String segment, String predictionId, long predictionTimestamp, double score,
      double label, boolean countsAsPrediction) {
    this(modelId, segment, predictionId, predictionTimestamp, score, label, countsAsPrediction, Long.MIN_VALUE);
  }

  public boolean isLabelled() {
    return !Double.isNaN(label);
  }
}
