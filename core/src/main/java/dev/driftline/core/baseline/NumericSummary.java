package dev.driftline.core.baseline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.driftline.core.io.ByteSink;
import dev.driftline.core.stats.NumericHistogram;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.DoublesSortedView;

/**
 * The reference distribution of one numeric column.
 *
 * @param kll legacy: a KLL sketch of all values (serialized, base64), written by profiles built
 *     before histograms; still read, with its rank error as the KS bound. New profiles leave it out
 *     because KLL compaction is random and the same data gave different profiles
 * @param values every value, sorted, when there are at most {@link #EXACT_LIMIT}; null otherwise.
 *     With them a KS p-value against the reference is exact rather than approximate
 * @param bins exact quantile bins of the reference for binned tests, one entry per bin count used
 * @param histogram a {@link NumericHistogram} of all values with at most {@link #REFERENCE_BUCKETS}
 *     buckets (binary form, base64): deterministic, exact when there are few distinct values
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NumericSummary(
    double mean, double std, double min, double max, String kll, double[] values, List<Bins> bins,
    String histogram)
    implements Serializable {

  /** Reference samples up to this size are kept whole (the same limit as exact KS). */
  public static final int EXACT_LIMIT = 10_000;

  /** Buckets of a reference histogram: about 0.1–0.5% relative width for typical features. */
  public static final int REFERENCE_BUCKETS = 4_096;

  /** The legacy KLL sketch, or null when the profile has none. */
  @JsonIgnore
  public KllDoublesSketch sketch() {
    return kll == null ? null : KllDoublesSketch.heapify(Memory.wrap(Base64.getDecoder().decode(kll)));
  }

  /**
   * The reference as buckets: exact from {@code values}, else the histogram, else (legacy profiles)
   * the sketch's retained items as point masses, whose CDF is off by up to {@link #rankError()}.
   */
  @JsonIgnore
  public NumericHistogram.Buckets buckets() {
    // Built once per summary, not at every window it is compared with: from up to EXACT_LIMIT
    // values that is a sort, and a job closes a window per key and feature. Buckets are read-only.
    Object key = cacheKey();
    synchronized (BUCKETS) {
      NumericHistogram.Buckets cached = BUCKETS.get(key);
      if (cached != null) {
        return cached;
      }
    }
    NumericHistogram.Buckets built = build();
    synchronized (BUCKETS) {
      BUCKETS.put(key, built);
    }
    return built;
  }

  /**
   * The buckets of summaries in use, while they are, by the component they are built from: the
   * values array (an identity hash), else the histogram's or the sketch's text (a hash the string
   * keeps). Not by the summary itself, whose record hash and equality walk every component at each
   * lookup, and a job looks up one per window close and feature.
   */
  private static final Map<Object, NumericHistogram.Buckets> BUCKETS = new WeakHashMap<>();

  private Object cacheKey() {
    return values != null ? values : histogram != null ? histogram : kll;
  }

  private NumericHistogram.Buckets build() {
    if (values != null) {
      return NumericHistogram.Buckets.exactOf(values);
    }
    if (histogram != null) {
      return decode(histogram).buckets();
    }
    KllDoublesSketch sketch = sketch();
    if (sketch == null) {
      throw new IllegalStateException("a numeric summary without values, histogram or sketch");
    }
    DoublesSortedView view = sketch.getSortedView();
    long[] cumulative = view.getCumulativeWeights();
    long[] weights = new long[cumulative.length];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
    }
    return NumericHistogram.Buckets.ofPoints(view.getQuantiles(), weights);
  }

  /** The additive CDF error of {@link #buckets()}: 0 unless they come from a legacy sketch. */
  @JsonIgnore
  public double rankError() {
    return values == null && histogram == null ? sketch().getNormalizedRankError(false) : 0.0;
  }

  static String encode(NumericHistogram histogram) {
    try {
      ByteSink bytes = new ByteSink();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        histogram.write(out);
      }
      return Base64.getEncoder().encodeToString(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static NumericHistogram decode(String base64) {
    try {
      return NumericHistogram.read(new DataInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bins built for {@code requested} bins, or null when the profile has none for it. */
  public Bins binsFor(int requested) {
    for (Bins b : bins) {
      if (b.requested() == requested) {
        return b;
      }
    }
    return null;
  }

  /**
   * Reference-quantile bins.
   *
   * @param requested bin count asked for; fewer remain when duplicate edges were merged
   * @param edges interior edges, ascending; bins are (-inf,e0), [e0,e1), ..., [e_last,+inf)
   * @param counts reference values per bin, {@code edges.length + 1} of them
   */
  public record Bins(int requested, double[] edges, long[] counts) implements Serializable {}
}
