package dev.driftline.core.stats;

import dev.driftline.core.io.VarLong;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A mergeable summary of numbers whose content depends only on the multiset of values added, never
 * on their order, on how partial summaries were merged, or on chance. Results computed from it are
 * therefore bit-identical across runs, restarts and restores.
 *
 * <p>Each value is mapped to a 64-bit key that orders like the value ({@link #ordered}); the summary
 * counts the keys shifted right by {@link #shift()} bits. At shift 0 a bucket is one exact value, so
 * while there are at most {@code maxBuckets} distinct values the summary <em>is</em> the values
 * (integer and other discrete features stay exact at any count). When a distinct value would make
 * more buckets than that, every bucket is coarsened by one bit (two neighbouring buckets become
 * one) until they fit. Coarsening is nested, so the final shift is the smallest one at which the
 * whole multiset fits in {@code maxBuckets} buckets and the final counts are the counts of the
 * multiset at that shift: a function of the multiset alone, whatever happened in between.
 *
 * <p>A bucket at shift {@code s} spans 2<sup>s</sup> consecutive doubles, i.e. a relative width of
 * about 2<sup>s−52</sup> of its values (buckets never straddle zero or a power of two while
 * {@code s <= 52}). Tests read a bucket's values as lying anywhere in
 * [{@link Buckets#lower}, {@link Buckets#upper}] and report what that can change
 * (see {@link KolmogorovSmirnov#ofBuckets}).
 *
 * <p>Size: at most {@code maxBuckets} (key, count) pairs plus an insertion buffer of at most
 * {@code min(maxBuckets, 4096)} keys, whatever the number of values. Mutable and not thread-safe.
 */
public final class NumericHistogram {
  private static final long[] NONE = new long[0];
  private static final int MAX_PENDING = 4096;
  /** Pending batches at least this long, spanning at most this many bits, are radix-sorted. */
  private static final int RADIX_MIN = 256;
  private static final int RADIX_MAX_BITS = 40;

  private final int maxBuckets;
  private int shift;
  private long[] keys = NONE;
  private long[] counts = NONE;
  private int size;
  private long[] pending = NONE;
  private int pendingSize;
  private long n;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  /** An empty histogram that keeps at most {@code maxBuckets} (>= 2) buckets. */
  public NumericHistogram(int maxBuckets) {
    if (maxBuckets < 2) {
      throw new IllegalArgumentException("maxBuckets is " + maxBuckets + ", expected at least 2");
    }
    this.maxBuckets = maxBuckets;
  }

  /** Every value exactly (no bucket limit): for batch inputs that are in memory anyway. */
  public static NumericHistogram exactOf(double[] values) {
    NumericHistogram h = new NumericHistogram(Integer.MAX_VALUE);
    for (double v : values) {
      h.add(v);
    }
    return h;
  }

  /** Adds one finite value ({@code -0.0} counts as {@code 0.0}). */
  public void add(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("expected a finite value, got " + value);
    }
    n++;
    min = Math.min(min, value);
    max = Math.max(max, value);
    if (pendingSize == pending.length) {
      if (pending.length < Math.min(maxBuckets, MAX_PENDING)) {
        pending = Arrays.copyOf(pending, Math.min(Math.min(maxBuckets, MAX_PENDING), Math.max(16, pending.length * 2)));
      } else {
        compact();
      }
    }
    pending[pendingSize++] = ordered(value) >> shift;
  }

  /** Folds {@code other} into this one; {@code other} is not changed in content. */
  public void merge(NumericHistogram other) {
    other.compact();
    compact();
    if (other.n == 0) {
      return;
    }
    int target = Math.max(shift, other.shift);
    if (shift < target) {
      coarsen(target - shift);
    }
    int by = target - other.shift;
    long[] k = new long[size + other.size];
    long[] c = new long[size + other.size];
    int i = 0;
    int j = 0;
    int w = 0;
    while (i < size || j < other.size) {
      long key;
      long count;
      if (j >= other.size || (i < size && keys[i] <= other.keys[j] >> by)) {
        key = keys[i];
        count = counts[i++];
      } else {
        key = other.keys[j] >> by;
        count = other.counts[j++];
      }
      if (w > 0 && k[w - 1] == key) {
        c[w - 1] += count;
      } else {
        k[w] = key;
        c[w++] = count;
      }
    }
    keys = k;
    counts = c;
    size = w;
    n += other.n;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    fit();
  }

  public long n() {
    return n;
  }

  public boolean isEmpty() {
    return n == 0;
  }

  public int maxBuckets() {
    return maxBuckets;
  }

  /** 0 while every bucket is one exact value. */
  public int shift() {
    compact();
    return shift;
  }

  /** True while every distinct value has its own bucket. */
  public boolean isExact() {
    return shift() == 0;
  }

  /** The current content, canonical (sorted buckets); an independent snapshot. */
  public Buckets buckets() {
    compact();
    return new Buckets(shift, Arrays.copyOf(keys, size), Arrays.copyOf(counts, size), n, min, max);
  }

  /** A histogram holding {@code buckets}, coarsened further if they are more than {@code maxBuckets}. */
  public static NumericHistogram of(Buckets buckets, int maxBuckets) {
    NumericHistogram h = new NumericHistogram(maxBuckets);
    h.shift = buckets.shift();
    h.keys = buckets.keys().clone();
    h.counts = buckets.counts().clone();
    h.size = h.keys.length;
    h.n = buckets.n();
    if (h.n > 0) {
      h.min = buckets.min();
      h.max = buckets.max();
    }
    h.fit();
    return h;
  }

  /** An independent copy. */
  public NumericHistogram copy() {
    compact();
    NumericHistogram h = new NumericHistogram(maxBuckets);
    h.shift = shift;
    h.keys = Arrays.copyOf(keys, size);
    h.counts = Arrays.copyOf(counts, size);
    h.size = size;
    h.n = n;
    h.min = min;
    h.max = max;
    return h;
  }

  private void compact() {
    if (pendingSize == 0) {
      return;
    }
    sortPending();
    int total = size + pendingSize;
    if (keys.length < total) {
      int capacity = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(total, (long) size + pending.length));
      keys = Arrays.copyOf(keys, capacity);
      counts = Arrays.copyOf(counts, capacity);
    }
    // Merged from the back into the same arrays (the buckets' free tail has room for every pending
    // key), equal keys summed; the result ends at total - 1 and is moved to the front.
    int i = size - 1;
    int j = pendingSize - 1;
    int w = total;
    while (i >= 0 || j >= 0) {
      long key;
      long count;
      if (j < 0 || (i >= 0 && keys[i] >= pending[j])) {
        key = keys[i];
        count = counts[i--];
      } else {
        key = pending[j--];
        count = 1;
      }
      if (w < total && keys[w] == key) {
        counts[w] += count;
      } else {
        w--;
        keys[w] = key;
        counts[w] = count;
      }
    }
    size = total - w;
    if (w > 0) {
      System.arraycopy(keys, w, keys, 0, size);
      System.arraycopy(counts, w, counts, 0, size);
    }
    pendingSize = 0;
    fit();
  }

  /**
   * Sorts the pending keys. Once the buckets are coarsened the keys of a batch span few bits, and a
   * radix sort of their offsets from the smallest (a byte per pass) is several times faster than a
   * comparison sort; a batch spanning more bits (exact values of different magnitudes) is sorted by
   * comparison.
   */
  private void sortPending() {
    int count = pendingSize;
    long low = Long.MAX_VALUE;
    long high = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      low = Math.min(low, pending[i]);
      high = Math.max(high, pending[i]);
    }
    int bits = 64 - Long.numberOfLeadingZeros(high - low);
    if (count < RADIX_MIN || bits > RADIX_MAX_BITS) {
      Arrays.sort(pending, 0, count);
      return;
    }
    long[] from = pending;
    long[] to = new long[count];
    int[] offsets = new int[257];
    for (int pass = 0; pass * 8 < bits; pass++) {
      int by = pass * 8;
      Arrays.fill(offsets, 0);
      for (int i = 0; i < count; i++) {
        offsets[(int) (((from[i] - low) >>> by) & 0xff) + 1]++;
      }
      for (int d = 0; d < 256; d++) {
        offsets[d + 1] += offsets[d];
      }
      for (int i = 0; i < count; i++) {
        to[offsets[(int) (((from[i] - low) >>> by) & 0xff)]++] = from[i];
      }
      long[] swap = from;
      from = to;
      to = swap;
    }
    if (from != pending) {
      System.arraycopy(from, 0, pending, 0, count);
    }
  }

  /**
   * Coarsens to the smallest shift at which the buckets fit in {@code maxBuckets}, in one pass:
   * two neighbouring (distinct, ascending) keys stay apart after shifting by {@code e} bits exactly
   * when their highest differing bit is at least {@code e}, so the number of buckets at each
   * further shift follows from a count of those bits. The same result as coarsening one bit at a
   * time until the buckets fit.
   */
  private void fit() {
    if (size <= maxBuckets) {
      return;
    }
    int[] highestDifferingBit = new int[64];
    for (int i = 1; i < size; i++) {
      highestDifferingBit[63 - Long.numberOfLeadingZeros(keys[i] ^ keys[i - 1])]++;
    }
    int buckets = size;
    int by = 0;
    while (buckets > maxBuckets) {
      buckets -= highestDifferingBit[by++];
    }
    coarsen(by);
  }

  /** {@code by} bits coarser: the 2<sup>by</sup> neighbouring buckets of each aligned block become one. */
  private void coarsen(int by) {
    shift += by;
    int w = 0;
    for (int i = 0; i < size; i++) {
      long key = keys[i] >> by;
      if (w > 0 && keys[w - 1] == key) {
        counts[w - 1] += counts[i];
      } else {
        keys[w] = key;
        counts[w++] = counts[i];
      }
    }
    size = w;
  }

  /** A 64-bit key that orders like the value: a < b exactly when ordered(a) < ordered(b). */
  static long ordered(double value) {
    long bits = Double.doubleToRawLongBits(value == 0.0 ? 0.0 : value);
    return bits >= 0 ? bits : bits ^ Long.MAX_VALUE;
  }

  static double fromOrdered(long key) {
    return Double.longBitsToDouble(key >= 0 ? key : key ^ Long.MAX_VALUE);
  }

  // ---------------------------------------------------------------- binary form

  private static final int VERSION = 1;

  /**
   * Compact canonical bytes: equal content gives equal bytes. Keys are delta-encoded varints, so a
   * coarsened histogram costs about 2–4 bytes a bucket and an exact one about 8 bytes a value.
   */
  public void write(DataOutput out) throws IOException {
    compact();
    out.writeByte(VERSION);
    VarLong.write(out, maxBuckets);
    out.writeByte(shift);
    VarLong.write(out, n);
    if (n == 0) {
      return;
    }
    out.writeDouble(min);
    out.writeDouble(max);
    VarLong.write(out, size);
    long previous = 0;
    for (int i = 0; i < size; i++) {
      // Keys ascend, so every delta after the first is positive; the first is zigzag-encoded.
      long delta = keys[i] - previous;
      VarLong.write(out, i == 0 ? (delta << 1) ^ (delta >> 63) : delta);
      VarLong.write(out, counts[i]);
      previous = keys[i];
    }
  }

  public static NumericHistogram read(DataInput in) throws IOException {
    int version = in.readByte();
    if (version != VERSION) {
      throw new IOException("unknown numeric histogram version " + version);
    }
    long maxBuckets = VarLong.read(in, false, "a numeric histogram");
    if (maxBuckets < 2 || maxBuckets > Integer.MAX_VALUE) {
      throw new IOException("numeric histogram of at most " + maxBuckets + " buckets");
    }
    NumericHistogram h = new NumericHistogram((int) maxBuckets);
    h.shift = in.readByte();
    h.n = VarLong.read(in, false, "a numeric histogram");
    if (h.shift < 0 || h.shift > 63 || h.n < 0) {
      throw new IOException("numeric histogram with shift " + h.shift + " and count " + h.n);
    }
    if (h.n == 0) {
      return h;
    }
    h.min = in.readDouble();
    h.max = in.readDouble();
    long declared = VarLong.read(in, false, "a numeric histogram");
    if (declared < 1 || declared > h.maxBuckets || declared > h.n) {
      throw new IOException("numeric histogram with " + declared + " buckets, at most " + Math.min(h.maxBuckets, h.n)
          + " expected");
    }
    int size = (int) declared;
    // Grown while reading: a length that the bytes do not back ends at their end, not in a huge allocation.
    h.keys = new long[Math.min(size, 1024)];
    h.counts = new long[h.keys.length];
    long previous = 0;
    long total = 0;
    for (int i = 0; i < size; i++) {
      if (i == h.keys.length) {
        h.keys = Arrays.copyOf(h.keys, Math.min(size, 2 * i));
        h.counts = Arrays.copyOf(h.counts, h.keys.length);
      }
      long raw = VarLong.read(in, false, "a numeric histogram");
      long delta = i == 0 ? (raw >>> 1) ^ -(raw & 1) : raw;
      h.keys[i] = previous + delta;
      h.counts[i] = VarLong.read(in, false, "a numeric histogram");
      if (h.counts[i] < 1 || i > 0 && h.keys[i] <= previous) {
        throw new IOException("numeric histogram bucket " + i + ": keys must ascend and counts be positive");
      }
      total += h.counts[i];
      previous = h.keys[i];
    }
    if (total != h.n) {
      throw new IOException("numeric histogram counts sum to " + total + ", not " + h.n);
    }
    h.size = size;
    return h;
  }

  /**
   * An immutable snapshot: buckets in ascending order, each with the keys {@code ordered(x) >> shift}
   * of the values it counts. At shift 0 the buckets are the distinct values themselves.
   *
   * @param min the smallest value added (exact)
   * @param max the largest value added (exact)
   */
  public record Buckets(int shift, long[] keys, long[] counts, long n, double min, double max) {

    /** Exact buckets of {@code values} (any order). */
    public static Buckets exactOf(double[] values) {
      return NumericHistogram.exactOf(values).buckets();
    }

    /**
     * Point masses at {@code points} (ascending, finite) with {@code weights}: for the items of a
     * legacy KLL sketch, read as exact values.
     */
    public static Buckets ofPoints(double[] points, long[] weights) {
      long[] k = new long[points.length];
      long[] c = new long[points.length];
      int w = 0;
      long total = 0;
      for (int i = 0; i < points.length; i++) {
        long key = ordered(points[i]);
        if (w > 0 && k[w - 1] == key) {
          c[w - 1] += weights[i];
        } else {
          k[w] = key;
          c[w++] = weights[i];
        }
        total += weights[i];
      }
      return new Buckets(0, Arrays.copyOf(k, w), Arrays.copyOf(c, w), total,
          points[0], points[points.length - 1]);
    }

    public int size() {
      return keys.length;
    }

    public boolean isExact() {
      return shift == 0;
    }

    /** The same values at a coarser {@code target} shift (counts are summed; nothing is estimated). */
    public Buckets atShift(int target) {
      if (target < shift) {
        throw new IllegalArgumentException("cannot refine shift " + shift + " to " + target);
      }
      if (target == shift) {
        return this;
      }
      int by = target - shift;
      long[] k = new long[keys.length];
      long[] c = new long[keys.length];
      int w = 0;
      for (int i = 0; i < keys.length; i++) {
        long key = keys[i] >> by;
        if (w > 0 && k[w - 1] == key) {
          c[w - 1] += counts[i];
        } else {
          k[w] = key;
          c[w++] = counts[i];
        }
      }
      return new Buckets(target, Arrays.copyOf(k, w), Arrays.copyOf(c, w), n, min, max);
    }

    /** The smallest value bucket {@code i} can hold (within [min, max]). */
    public double lower(int i) {
      double lo = fromOrdered(keys[i] << shift);
      return Double.isNaN(lo) || lo < min ? min : lo;
    }

    /** The largest value bucket {@code i} can hold (within [min, max]). */
    public double upper(int i) {
      double hi = fromOrdered(((keys[i] + 1) << shift) - 1);
      return Double.isNaN(hi) || hi > max ? max : hi;
    }

    /** The bucket's value at shift 0; its midpoint otherwise. */
    public double representative(int i) {
      if (shift == 0) {
        return fromOrdered(keys[i]);
      }
      double lo = lower(i);
      double hi = upper(i);
      return lo + (hi - lo) / 2;
    }

    /** Inclusive cumulative counts per bucket, for {@link #quantile(long[], double)}. */
    public long[] cumulativeCounts() {
      long[] cumulative = new long[counts.length];
      long sum = 0;
      for (int i = 0; i < counts.length; i++) {
        sum += counts[i];
        cumulative[i] = sum;
      }
      return cumulative;
    }

    /**
     * The {@code u}-quantile (0 <= u <= 1): the representative of the first bucket whose cumulative
     * count reaches {@code u·n}; {@code cumulative} from {@link #cumulativeCounts()}.
     */
    public double quantile(long[] cumulative, double u) {
      long target = Math.max(1, (long) Math.ceil(u * n));
      int i = Arrays.binarySearch(cumulative, target);
      if (i < 0) {
        i = -i - 1;
      }
      return representative(Math.min(i, cumulative.length - 1));
    }

    /** Every value, ascending (shift 0 only); {@code n} must fit in an array. */
    public double[] values() {
      if (shift != 0) {
        throw new IllegalStateException("values are only known at shift 0, not " + shift);
      }
      double[] out = new double[Math.toIntExact(n)];
      int w = 0;
      for (int i = 0; i < keys.length; i++) {
        double v = fromOrdered(keys[i]);
        for (long c = 0; c < counts[i]; c++) {
          out[w++] = v;
        }
      }
      return out;
    }
  }
}
