package dev.driftline.core.features;

import java.util.Optional;

/**
 * Point-in-time reads of a feature log: the values valid at {@code t} are those of the newest
 * record with {@code as_of <= t}. A record computed from events after {@code t} has a later
 * {@code as_of}, so it is never the answer.
 */
public final class PointInTime {
  private PointInTime() {}

  /**
   * The record of {@code entity} valid at {@code t} among {@code log} (in log order); of records
   * with the same {@code as_of}, the later one in the log.
   */
  public static Optional<FeatureRecord> asOf(Iterable<FeatureRecord> log, String entity, long t) {
    FeatureRecord best = null;
    for (FeatureRecord r : log) {
      if (r.entity().equals(entity) && r.asOf() <= t && (best == null || r.asOf() >= best.asOf())) {
        best = r;
      }
    }
    return Optional.ofNullable(best);
  }
}
