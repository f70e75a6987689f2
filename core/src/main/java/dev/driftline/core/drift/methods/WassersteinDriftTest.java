package dev.driftline.core.drift.methods;

import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.NoDriftQuantile;
import dev.driftline.core.stats.NumericHistogram;
import dev.driftline.core.stats.Wasserstein;
import java.util.List;

/**
 * Wasserstein-1 distance divided by the reference standard deviation, so one threshold fits all
 * scales ({@code scipy.stats.wasserstein_distance} / std). Exact on exact samples; on coarsened
 * ones each bucket's mass sits at its midpoint (off by at most half a bucket width per value).
 * Size-aware by default ({@link SizeAware}): the threshold is at least the distance's no-drift
 * quantile at the window's and reference's sizes ({@link NoDriftQuantile#wasserstein}), divided
 * by the same standard deviation.
 */
public enum WassersteinDriftTest implements ScaledDistance {
  INSTANCE;

  private static final Definition DEFINITION = Definition.distance("wasserstein",
      List.of(FeatureType.NUMERIC), 0.1, "Wasserstein-1 distance between numbers; drift is read on it divided by the reference standard deviation.");

  @Override
  public Definition definition() {
    return DEFINITION;
  }

  @Override
  public double distance(NumericHistogram.Buckets reference, NumericHistogram.Buckets current) {
    return Wasserstein.distance(reference, current);
  }

  @Override
  public double noDriftQuantile(NumericHistogram.Buckets reference, long n, long m) {
    return NoDriftQuantile.wasserstein(reference, n, m);
  }
}
