package dev.driftline.cli.calibrate;

/**
 * A share of simulated windows with its 95 % Wilson score interval.
 *
 * @param hits windows that were flagged
 * @param trials windows simulated
 */
public record Rate(long hits, long trials) {
  private static final double Z = 1.959963984540054;

  public Rate {
    if (trials <= 0 || hits < 0 || hits > trials) {
      throw new IllegalArgumentException("a rate needs 0 <= hits <= trials and trials > 0, got " + hits + "/" + trials);
    }
  }

  public double value() {
    return (double) hits / trials;
  }

  /** Lower end of the 95 % Wilson interval. */
  public double low() {
    return wilson(-1);
  }

  /** Upper end of the 95 % Wilson interval. */
  public double high() {
    return wilson(1);
  }

  private double wilson(int sign) {
    double p = value();
    double n = trials;
    double z2 = Z * Z;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = Z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return Math.min(1, Math.max(0, centre + sign * half));
  }
}
