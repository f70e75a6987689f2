package dev.driftline.core.detect;

/**
 * What one value did to a detector.
 *
 * @param fired whether the detector fired on this value
 * @param reason one line for people, naming the detector and the numbers behind it; null when not fired
 * @param value the number the detector reports as evidence (each detector's class says which)
 * @param threshold the limit that number crossed
 */
public record Detection(boolean fired, String reason, double value, double threshold) {
  public static final Detection NONE = new Detection(false, null, 0, 0);

  public static Detection fired(String reason, double value, double threshold) {
    return new Detection(true, reason, value, threshold);
  }
}
