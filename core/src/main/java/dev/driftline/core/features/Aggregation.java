package dev.driftline.core.features;

/** What a feature computes per entity; see {@link FeatureDef} for the exact definitions. */
public enum Aggregation {
  COUNT("count", FieldKind.NONE, true),
  SUM("sum", FieldKind.NUMERIC, true),
  MEAN("mean", FieldKind.NUMERIC, true),
  MIN("min", FieldKind.NUMERIC, true),
  MAX("max", FieldKind.NUMERIC, true),
  STDDEV("stddev", FieldKind.NUMERIC, true),
  DISTINCT_COUNT("distinct_count", FieldKind.ANY, true),
  LAST("last", FieldKind.NUMERIC, false),
  TIME_SINCE_LAST("time_since_last", FieldKind.NONE, false),
  RATIO("ratio", FieldKind.NONE, false);

  /** What the event field an aggregation reads must hold. */
  public enum FieldKind { NONE, NUMERIC, ANY }

  private final String id;
  private final FieldKind field;
  private final boolean windowed;

  Aggregation(String id, FieldKind field, boolean windowed) {
    this.id = id;
    this.field = field;
    this.windowed = windowed;
  }

  /** The name in a feature view's YAML. */
  public String id() {
    return id;
  }

  public FieldKind field() {
    return field;
  }

  /** Whether the aggregation is over a time window (and so held in a bucket ring). */
  public boolean windowed() {
    return windowed;
  }
}
