package dev.driftline.core.profile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.Serializable;
import java.util.Base64;
import java.util.List;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The reference distribution of one numeric column.
 *
 * @param kll a KLL sketch of all values, serialized and base64-encoded; its rank error is what a
 *     sketch-based KS test reports as its bound
 * @param values every value, sorted, when there are at most {@link #EXACT_LIMIT}; null otherwise.
 *     With them a KS p-value against the reference is exact rather than sketch-approximate
 * @param bins exact quantile bins of the reference for binned tests, one entry per bin count used
 */
public record NumericSummary(
    double mean, double std, double min, double max, String kll, double[] values, List<Bins> bins)
    implements Serializable {

  /** Reference samples up to this size are kept whole (the same limit as exact KS). */
  public static final int EXACT_LIMIT = 10_000;

  /** KLL accuracy parameter for reference sketches: ~0.3% normalized rank error. */
  public static final int REFERENCE_K = 1000;

  @JsonIgnore
  public KllDoublesSketch sketch() {
    return KllDoublesSketch.heapify(Memory.wrap(Base64.getDecoder().decode(kll)));
  }

  static String encode(KllDoublesSketch sketch) {
    return Base64.getEncoder().encodeToString(sketch.toByteArray());
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
