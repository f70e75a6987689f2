package dev.driftline.core.features;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;

/**
 * The sliding aggregate of one windowed feature of one entity: a ring of {@code n = window / g}
 * buckets of partial aggregates, bucket {@code k} holding the events with timestamp in
 * {@code [k·g, (k+1)·g)}. An event lands in its bucket's slot ({@code k mod n}), first clearing
 * whatever older bucket the slot held, so memory is fixed at n partials and nothing is rescanned.
 *
 * <p>{@link #valueAt(long)} merges the partials of buckets {@code floor(t/g) − n + 1 … floor(t/g)}:
 * exactly the events with timestamp in {@code [floor(t/g)·g − window + g, t]}, provided events are
 * added in non-decreasing time order and none after {@code t} has been added (the feature operator
 * applies events in event-time order, up to the watermark). Not thread-safe.
 */
public final class BucketRing {
  public static final int HLL_LG_K = 12;
  private static final long EMPTY = Long.MIN_VALUE;

  private final Aggregation aggregation;
  private final long granularity;
  private final int n;
  private final long[] bucket;
  private final long[] count;
  /** sum (sum, mean), min, max, or the running mean (stddev). */
  private final double[] a;
  /** Sum of squared deviations from the mean (stddev only). */
  private final double[] m2;
  private final HllSketch[] hll;
  private long newest = EMPTY;

  public BucketRing(Aggregation aggregation, long granularityMillis, int buckets) {
    if (!aggregation.windowed()) {
      throw new IllegalArgumentException("not a windowed aggregation: " + aggregation.id());
    }
    if (granularityMillis <= 0 || buckets <= 0) {
      throw new IllegalArgumentException("granularity and buckets: expected above 0, got " + granularityMillis + ", " + buckets);
    }
    this.aggregation = aggregation;
    this.granularity = granularityMillis;
    this.n = buckets;
    this.bucket = new long[n];
    Arrays.fill(bucket, EMPTY);
    this.count = new long[n];
    this.a = aggregation == Aggregation.COUNT || aggregation == Aggregation.DISTINCT_COUNT ? null : new double[n];
    this.m2 = aggregation == Aggregation.STDDEV ? new double[n] : null;
    this.hll = aggregation == Aggregation.DISTINCT_COUNT ? new HllSketch[n] : null;
  }

  public static BucketRing of(FeatureDef f) {
    return new BucketRing(f.aggregation(), f.granularity().toMillis(), f.buckets());
  }

  /**
   * Adds one event; {@code value} is read by numeric aggregations, {@code text} by distinct count.
   *
   * @throws IllegalArgumentException when {@code ts} is before an event already added
   */
  public void add(long ts, double value, String text) {
    if (newest != EMPTY && ts < newest) {
      throw new IllegalArgumentException("event at " + ts + " added after one at " + newest + "; expected time order");
    }
    newest = ts;
    long k = Math.floorDiv(ts, granularity);
    int slot = (int) Math.floorMod(k, (long) n);
    if (bucket[slot] != k) {
      reset(slot, k);
    }
    long c = ++count[slot];
    switch (aggregation) {
      case SUM, MEAN -> a[slot] += value;
      case MIN -> a[slot] = c == 1 ? value : Math.min(a[slot], value);
      case MAX -> a[slot] = c == 1 ? value : Math.max(a[slot], value);
      case STDDEV -> {
        double d = value - a[slot];
        a[slot] += d / c;
        m2[slot] += d * (value - a[slot]);
      }
      case DISTINCT_COUNT -> {
        if (hll[slot] == null) {
          hll[slot] = new HllSketch(HLL_LG_K);
        }
        hll[slot].update(text);
      }
      default -> { }
    }
  }

  private void reset(int slot, long k) {
    bucket[slot] = k;
    count[slot] = 0;
    if (a != null) {
      a[slot] = 0;
    }
    if (m2 != null) {
      m2[slot] = 0;
    }
    if (hll != null) {
      hll[slot] = null;
    }
  }

  /** The aggregate as of {@code t} (see the class contract); NaN for "missing". */
  public double valueAt(long t) {
    long last = Math.floorDiv(t, granularity);
    long events = 0;
    double acc = 0;
    double mean = 0;
    double sq = 0;
    Union union = null;
    for (long k = last - n + 1; k <= last; k++) {
      int slot = (int) Math.floorMod(k, (long) n);
      if (bucket[slot] != k || count[slot] == 0) {
        continue;
      }
      long c = count[slot];
      switch (aggregation) {
        case SUM, MEAN -> acc += a[slot];
        case MIN -> acc = events == 0 ? a[slot] : Math.min(acc, a[slot]);
        case MAX -> acc = events == 0 ? a[slot] : Math.max(acc, a[slot]);
        case STDDEV -> {
          // Chan et al.'s pairwise combination of (count, mean, M2).
          long total = events + c;
          double delta = a[slot] - mean;
          mean += delta * c / total;
          sq += m2[slot] + delta * delta * ((double) events * c / total);
        }
        case DISTINCT_COUNT -> {
          if (union == null) {
            union = new Union(HLL_LG_K);
          }
          union.update(hll[slot]);
        }
        default -> { }
      }
      events += c;
    }
    return switch (aggregation) {
      case COUNT -> events;
      case SUM -> acc;
      case MEAN -> events == 0 ? Double.NaN : acc / events;
      case MIN, MAX -> events == 0 ? Double.NaN : acc;
      case STDDEV -> events == 0 ? Double.NaN : Math.sqrt(Math.max(0, sq) / events);
      case DISTINCT_COUNT -> union == null ? 0 : Math.round(union.getEstimate());
      default -> throw new IllegalStateException(aggregation.id());
    };
  }

  /** Buckets currently holding events (at most the ring size); for tests and metrics. */
  public int occupied() {
    int out = 0;
    for (int i = 0; i < n; i++) {
      out += bucket[i] != EMPTY && count[i] > 0 ? 1 : 0;
    }
    return out;
  }

  /** Writes the occupied slots only. */
  void write(DataOutputStream out) throws IOException {
    out.writeLong(newest);
    out.writeInt(occupied());
    for (int i = 0; i < n; i++) {
      if (bucket[i] == EMPTY || count[i] == 0) {
        continue;
      }
      out.writeInt(i);
      out.writeLong(bucket[i]);
      out.writeLong(count[i]);
      if (a != null) {
        out.writeDouble(a[i]);
      }
      if (m2 != null) {
        out.writeDouble(m2[i]);
      }
      if (hll != null) {
        byte[] bytes = hll[i].toCompactByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
      }
    }
  }

  static BucketRing read(FeatureDef f, DataInputStream in) throws IOException {
    BucketRing r = of(f);
    r.newest = in.readLong();
    int occupied = in.readInt();
    for (int j = 0; j < occupied; j++) {
      int i = in.readInt();
      r.bucket[i] = in.readLong();
      r.count[i] = in.readLong();
      if (r.a != null) {
        r.a[i] = in.readDouble();
      }
      if (r.m2 != null) {
        r.m2[i] = in.readDouble();
      }
      if (r.hll != null) {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        r.hll[i] = HllSketch.heapify(bytes);
      }
    }
    return r;
  }
}
