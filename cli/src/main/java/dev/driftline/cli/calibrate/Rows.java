package dev.driftline.cli.calibrate;

/** The rows of the calibration tables, as printed and as written to JSON. */
final class Rows {
  private Rows() {}

  /**
   * One test in one regime without drift.
   *
   * @param reference {@code exact} when the profile keeps every value, {@code histogram} otherwise
   * @param window {@code exact} when the window's histogram holds every value, {@code coarsened} otherwise
   * @param threshold alpha for p-value tests, the distance threshold otherwise
   * @param verdict for p-value tests: {@code ok} when the rate's interval reaches down to alpha or
   *     below, {@code above alpha} otherwise; for distances: the share flagged, described
   * @param median median of the no-drift statistic (the p-value for p-value tests)
   */
  record FalseAlarm(String regime, String feature, int referenceSize, String reference, int windowSize,
      String window, String test, boolean pValueTest, double threshold, long windows, long flagged, double rate,
      double low, double high, String verdict, double median, double p95, double p99) {}

  /** The share of windows of {@code features} independent features in which at least one was flagged. */
  record FamilyWise(String method, int features, int referenceSize, int windowSize, String test, long windows,
      long flagged, double rate, double low, double high, double meanFlagged) {}

  /**
   * One test on windows drawn with a change.
   *
   * @param change what changed and by how much
   * @param meanDelay mean windows from the change to the first flag (1 = the first window); NaN when never
   */
  record Power(String feature, String change, int referenceSize, int windowSize, String test, long windows,
      long flagged, double rate, double low, double high, double meanDelay) {}

  /** KS read through the product's summaries against KS on every raw value. */
  record SketchPath(String regime, int referenceSize, String reference, int windowSize, String window, double shiftSd,
      long windows, double productRate, double rawRate, double lost, double productLow, double productHigh) {}

  /**
   * The ERT-calibrated CUSUM: asked for one false alarm every {@code asked} windows, calibrated on
   * {@code warmups} different warm-ups of {@code warmupWindows} windows each; the run length each
   * calibration really gives on in-control windows, and the mean delay after a rise.
   */
  record Ert(int asked, int warmupWindows, int warmups, String process, double medianRealised, double lowRealised,
      double highRealised, double meanRealised, String change, double meanDelay) {}

  /**
   * An online detector with its default options on a per-window error rate: false alarms per 1,000
   * in-control windows, and after a rise, the share of streams where it fired and the mean delay.
   */
  record Online(String detector, String settings, String process, long streams, long windows, long falseAlarms,
      double falseAlarmsPer1000, String change, double detected, double meanDelay) {}
}
