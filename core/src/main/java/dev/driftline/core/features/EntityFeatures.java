package dev.driftline.core.features;

import dev.driftline.core.io.ByteSink;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything kept of one entity for one view: a {@link BucketRing} per windowed feature, the last
 * value per {@code last} feature and the two newest distinct event times. Its size is bounded by
 * buckets × features whatever the event rate. Events must be applied in non-decreasing time order;
 * {@link #values()} are then the features as of the newest event time ({@link FeatureDef} defines
 * them). Not thread-safe.
 */
public final class EntityFeatures {
  private static final long NONE = Long.MIN_VALUE;
  private final FeatureView view;
  private final BucketRing[] rings;
  private final int[] fieldIndex;
  private final double[] last;
  private long newest = NONE;
  private long previous = NONE;

  public EntityFeatures(FeatureView view) {
    this.view = view;
    List<FeatureDef> features = view.features();
    this.rings = new BucketRing[features.size()];
    this.fieldIndex = new int[features.size()];
    this.last = new double[features.size()];
    for (int i = 0; i < features.size(); i++) {
      FeatureDef f = features.get(i);
      rings[i] = f.aggregation().windowed() ? BucketRing.of(f) : null;
      fieldIndex[i] = switch (f.aggregation().field()) {
        case NUMERIC -> view.numericFields().indexOf(f.field());
        case ANY -> view.textFields().indexOf(f.field());
        case NONE -> -1;
      };
      last[i] = Double.NaN;
    }
  }

  /** Event time of the newest event applied, or {@link Long#MIN_VALUE} when none. */
  public long newest() {
    return newest;
  }

  /**
   * Applies one event.
   *
   * @throws IllegalArgumentException when it is older than the newest event applied
   */
  public void apply(FeatureEvent e) {
    if (newest != NONE && e.timestamp() < newest) {
      throw new IllegalArgumentException("event at " + e.timestamp() + " applied after one at " + newest
          + "; expected time order");
    }
    if (e.timestamp() != newest) {
      previous = newest;
      newest = e.timestamp();
    }
    List<FeatureDef> features = view.features();
    for (int i = 0; i < features.size(); i++) {
      FeatureDef f = features.get(i);
      int fi = fieldIndex[i];
      if (rings[i] != null) {
        double value = f.aggregation().field() == Aggregation.FieldKind.NUMERIC ? e.numbers()[fi] : Double.NaN;
        String text = f.aggregation().field() == Aggregation.FieldKind.ANY ? e.texts()[fi] : null;
        rings[i].add(e.timestamp(), value, text);
      } else if (f.aggregation() == Aggregation.LAST) {
        last[i] = e.numbers()[fi];
      }
    }
  }

  /** The features as of {@link #newest()}, in the view's order; NaN for "missing". */
  public double[] values() {
    List<FeatureDef> features = view.features();
    double[] out = new double[features.size()];
    for (int i = 0; i < out.length; i++) {
      FeatureDef f = features.get(i);
      out[i] = switch (f.aggregation()) {
        case LAST -> last[i];
        case TIME_SINCE_LAST -> previous == NONE ? Double.NaN : (newest - previous) / 1000.0;
        case RATIO -> Double.NaN;
        default -> rings[i].valueAt(newest);
      };
    }
    for (int i = 0; i < out.length; i++) {
      FeatureDef f = features.get(i);
      if (f.aggregation() == Aggregation.RATIO) {
        out[i] = ratio(out[view.featureNames().indexOf(f.numerator())], out[view.featureNames().indexOf(f.denominator())]);
      }
    }
    return out;
  }

  static double ratio(double numerator, double denominator) {
    return Double.isNaN(numerator) || Double.isNaN(denominator) || denominator == 0 ? Double.NaN : numerator / denominator;
  }

  /** The feature record of {@code entity} as of {@link #newest()}, computed at {@code computedAt}. */
  public FeatureRecord record(String entity, long computedAt) {
    double[] values = values();
    Map<String, Double> features = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      features.put(view.features().get(i).name(), Double.isNaN(values[i]) ? null : values[i]);
    }
    return new FeatureRecord(view.name(), entity, newest, computedAt, features);
  }

  /** The state as bytes (for Flink keyed state); {@link #fromBytes} with the same view reads it. */
  public byte[] toBytes() {
    ByteSink bytes = new ByteSink();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(rings.length);
      out.writeLong(newest);
      out.writeLong(previous);
      for (int i = 0; i < rings.length; i++) {
        out.writeDouble(last[i]);
        if (rings[i] != null) {
          rings[i].write(out);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The {@link #newest()} of the state {@code bytes} ({@link #toBytes}), without reading the rest. */
  public static long newestOf(byte[] bytes) {
    if (bytes.length < 12) {
      throw new IllegalStateException("feature state of " + bytes.length + " bytes; expected at least 12");
    }
    long v = 0;
    for (int i = 4; i < 12; i++) {
      v = (v << 8) | (bytes[i] & 0xFF);
    }
    return v;
  }

  public static EntityFeatures fromBytes(FeatureView view, byte[] bytes) {
    EntityFeatures s = new EntityFeatures(view);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int n = in.readInt();
      if (n != s.rings.length) {
        throw new IllegalStateException("feature state of view " + view.name() + " has " + n
            + " features, the view " + s.rings.length + "; a changed view needs a fresh start");
      }
      s.newest = in.readLong();
      s.previous = in.readLong();
      for (int i = 0; i < n; i++) {
        s.last[i] = in.readDouble();
        if (s.rings[i] != null) {
          s.rings[i] = BucketRing.read(view.features().get(i), in);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s;
  }
}
