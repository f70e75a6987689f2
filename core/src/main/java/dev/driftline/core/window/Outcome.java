package dev.driftline.core.window;

/**
 * What the label join tells the performance windows about one prediction, at prediction time:
 * that it was made (so label coverage can be computed) and, once known, its label.
 *
 * @param countsAsPrediction true for the record that announces the prediction (with its label if
 *     the label came first); false for a label arriving after its prediction
 * @param score as the prediction's ({@link dev.driftline.core.events.Prediction#score()})
 * @param label the label, or NaN while unknown (a multiclass classifier's: its class's index)
 * @param labelTimestamp the label's event time (epoch millis), which places it among a window's
 *     updates; {@link Long#MIN_VALUE} when unknown or unlabelled
 * @param classScores a multiclass classifier's class probabilities (the prediction's); null for
 *     the other tasks
 */
public record Outcome(
    String modelId,
    String segment,
    String predictionId,
    long predictionTimestamp,
    double score,
    double label,
    boolean countsAsPrediction,
    long labelTimestamp,
    double[] classScores) {

  /** An outcome of a binary classifier or a regressor. */
  public Outcome(String modelId, String segment, String predictionId, long predictionTimestamp, double score,
      double label, boolean countsAsPrediction, long labelTimestamp) {
    this(modelId, segment, predictionId, predictionTimestamp, score, label, countsAsPrediction, labelTimestamp, null);
  }

  /** An outcome whose label's time is unknown (it counts in the window's first emission). */
  public Outcome(String modelId, String segment, String predictionId, long predictionTimestamp, double score,
      double label, boolean countsAsPrediction) {
    this(modelId, segment, predictionId, predictionTimestamp, score, label, countsAsPrediction, Long.MIN_VALUE);
  }

  /** This outcome for {@code segment}, with {@code label} (NaN: none) known at {@code labelTimestamp}. */
  public Outcome with(String segment, double label, boolean countsAsPrediction, long labelTimestamp) {
    return new Outcome(modelId, segment, predictionId, predictionTimestamp, score, label, countsAsPrediction,
        labelTimestamp, classScores);
  }

  public boolean isLabelled() {
    return !Double.isNaN(label);
  }
}
