package dev.driftline.core.drift;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The counts a PSI result compared, so that a reader can draw the reference and the current
 * distribution of a window without its values. Bounded: a numeric feature has the PSI bins (the
 * spec's {@code bins}, 10 by default, fewer when reference quantiles tie); a categorical feature at
 * most {@link #MAX_CATEGORIES} categories, the rest summed into {@code other_*}.
 *
 * <p>Numeric: {@code edges} are the k interior edges of the reference-quantile bins ({@code (-inf,
 * e1), [e1, e2), ..., [ek, +inf)}; a value equal to an edge belongs to the bin above it),
 * {@code reference} and {@code current} the k + 1 counts per bin (the reference's from its profile
 * or reference window, the window's by the same rule as PSI: exact while the window's values are,
 * else by histogram bucket). {@code categories} is null.
 *
 * <p>Categorical: {@code categories} names the categories kept, the most frequent first (reference
 * share plus current share, ties in natural order), with their counts in {@code reference} and
 * {@code current}; when there were more than {@link #MAX_CATEGORIES}, {@code otherCategories}
 * says how many were summed into {@code otherReference} and {@code otherCurrent} (all three null
 * otherwise). {@code edges} is null.
 *
 * <p>Immutable (arrays are copied in and out); equal by content. Deterministic: the same counts give
 * the same bins, whatever the order the categories arrived in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DriftBins(
    double[] edges,
    String[] categories,
    long[] reference,
    long[] current,
    Integer otherCategories,
    Long otherReference,
    Long otherCurrent) implements Serializable {

  /** Categories kept by name; the rest are summed. */
  public static final int MAX_CATEGORIES = 20;

  public DriftBins {
    edges = edges == null ? null : edges.clone();
    categories = categories == null ? null : categories.clone();
    reference = reference.clone();
    current = current.clone();
    if (reference.length != current.length) {
      throw new IllegalArgumentException("reference has " + reference.length + " counts, current " + current.length);
    }
    if (edges != null && edges.length + 1 != reference.length) {
      throw new IllegalArgumentException(edges.length + " edges need " + (edges.length + 1) + " counts, got " + reference.length);
    }
    if (categories != null && categories.length != reference.length) {
      throw new IllegalArgumentException(categories.length + " categories, " + reference.length + " counts");
    }
  }

  /** The bins of a numeric PSI: interior {@code edges} and the counts on them. */
  public static DriftBins numeric(double[] edges, long[] reference, long[] current) {
    return new DriftBins(edges, null, reference, current, null, null, null);
  }

  /** The categories of both sides, the {@link #MAX_CATEGORIES} most frequent by name, the rest summed. */
  public static DriftBins categorical(Map<String, Long> reference, Map<String, Long> current) {
    double refTotal = Math.max(1, reference.values().stream().mapToLong(Long::longValue).sum());
    double curTotal = Math.max(1, current.values().stream().mapToLong(Long::longValue).sum());
    TreeSet<String> all = new TreeSet<>(reference.keySet());
    all.addAll(current.keySet());
    List<String> order = new ArrayList<>(all);
    order.sort(Comparator.comparingDouble((String c) -> -(reference.getOrDefault(c, 0L) / refTotal
        + current.getOrDefault(c, 0L) / curTotal)).thenComparing(Comparator.naturalOrder()));
    int kept = Math.min(order.size(), MAX_CATEGORIES);
    long[] ref = new long[kept];
    long[] cur = new long[kept];
    for (int i = 0; i < kept; i++) {
      ref[i] = reference.getOrDefault(order.get(i), 0L);
      cur[i] = current.getOrDefault(order.get(i), 0L);
    }
    if (order.size() == kept) {
      return new DriftBins(null, order.toArray(new String[0]), ref, cur, null, null, null);
    }
    long otherRef = 0;
    long otherCur = 0;
    for (String c : order.subList(kept, order.size())) {
      otherRef += reference.getOrDefault(c, 0L);
      otherCur += current.getOrDefault(c, 0L);
    }
    return new DriftBins(null, order.subList(0, kept).toArray(new String[0]), ref, cur, order.size() - kept, otherRef,
        otherCur);
  }

  @Override
  public double[] edges() {
    return edges == null ? null : edges.clone();
  }

  @Override
  public String[] categories() {
    return categories == null ? null : categories.clone();
  }

  @Override
  public long[] reference() {
    return reference.clone();
  }

  @Override
  public long[] current() {
    return current.clone();
  }

  /** Whether these are a numeric feature's bins (else a categorical feature's categories). */
  @JsonIgnore
  public boolean isNumeric() {
    return edges != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DriftBins b && Arrays.equals(edges, b.edges) && Arrays.equals(categories, b.categories)
        && Arrays.equals(reference, b.reference) && Arrays.equals(current, b.current)
        && Objects.equals(otherCategories, b.otherCategories) && Objects.equals(otherReference, b.otherReference)
        && Objects.equals(otherCurrent, b.otherCurrent);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(edges), Arrays.hashCode(categories), Arrays.hashCode(reference),
        Arrays.hashCode(current), otherCategories, otherReference, otherCurrent);
  }

  @Override
  public String toString() {
    return "DriftBins[edges=" + Arrays.toString(edges) + ", categories=" + Arrays.toString(categories)
        + ", reference=" + Arrays.toString(reference) + ", current=" + Arrays.toString(current)
        + (otherCategories == null ? "" : ", other " + otherCategories + ": " + otherReference + "/" + otherCurrent) + "]";
  }
}
