package dev.driftline.core.drift.methods;

import dev.driftline.core.stats.JensenShannon;
import dev.driftline.core.stats.NoDriftQuantile;
import java.util.List;
import java.util.Map;

/** Jensen–Shannon distance (base 2, 0..1): over categories, or over the reference's quantile bins. */
public enum JensenShannonDriftTest implements BinnedDistance {
  INSTANCE;

  private static final Definition DEFINITION = BinnedDistance.definition("jensen_shannon",
      "Jensen–Shannon distance (base 2, 0..1) between category distributions (or numbers in reference-quantile bins, --numeric).");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  @Override
  public List<String> aliases() {
    return List.of("js");
  }

  @Override
  public double noDriftQuantile(int bins, long n, long m) {
    return NoDriftQuantile.jensenShannon(bins, n, m);
  }

  @Override
  public double distance(double[] reference, double[] current) {
    return JensenShannon.distance(reference, current);
  }

  @Override
  public double distance(Map<String, Long> reference, Map<String, Long> current) {
    return JensenShannon.categorical(reference, current);
  }
}
