package dev.driftline.core.drift.methods;

import dev.driftline.core.stats.Hellinger;
import dev.driftline.core.stats.NoDriftQuantile;
import java.util.Map;

/** Hellinger distance (0..1): over categories, or over the reference's quantile bins. */
public enum HellingerDriftTest implements BinnedDistance {
  INSTANCE;

  private static final Definition DEFINITION = BinnedDistance.definition("hellinger",
      "Hellinger distance (0..1) between category distributions (or numbers in reference-quantile bins, --numeric).");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  @Override
  public double noDriftQuantile(int bins, long n, long m) {
    return NoDriftQuantile.hellinger(bins, n, m);
  }

  @Override
  public double distance(double[] reference, double[] current) {
    return Hellinger.distance(reference, current);
  }

  @Override
  public double distance(Map<String, Long> reference, Map<String, Long> current) {
    return Hellinger.categorical(reference, current);
  }
}
