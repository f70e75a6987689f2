package dev.driftline.core.window;

/**
 * What the label join tells the performance windows about one prediction, at prediction time:
 * that it was made (so label coverage can be computed) and, once known, its label.
 *
 * @param countsAsPrediction true for the record that announces the prediction (with its label if
 *     the label came first); false for a label arriving after its prediction
 * @param label the label, or NaN while unknown
 */
public record Outcome(
    String modelId,
    String segment,
    String predictionId,
    long predictionTimestamp,
    double score,
    double label,
    boolean countsAsPrediction) {

  public boolean isLabelled() {
    return !Double.isNaN(label);
  }
}
