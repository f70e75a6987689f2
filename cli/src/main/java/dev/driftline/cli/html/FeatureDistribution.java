package dev.driftline.cli.html;

import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.FeatureBaseline;
import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.DriftBins;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.stats.Psi;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The reference and the current counts of one feature on the same bins, for the report's side by
 * side view. Numeric features use the profile's reference-quantile bins (the PSI test's bin count
 * when the feature has a PSI test, else the default 10): the bins are {@code (-inf, e0), [e0, e1),
 * ..., [e_last, +inf)}, the reference counts are the profile's and the current counts are the
 * current values counted on the same edges ({@link Psi#binCounts(double[], double[])}). Categorical
 * features use every category of either side, the most frequent first (reference plus current
 * share); past {@link #MAX_CATEGORIES} the rest are summed into one {@code (other k)} bar.
 *
 * @param edges interior edges (numeric), empty for categorical
 * @param labels one per bin: the bin's range, or the category
 */
public record FeatureDistribution(String feature, String type, double[] edges, List<String> labels,
    long[] reference, long[] current) {

  /** Categories shown one by one; the rest share a bar. */
  public static final int MAX_CATEGORIES = 20;

  public long referenceTotal() {
    return sum(reference);
  }

  public long currentTotal() {
    return sum(current);
  }

  /** Every spec feature of {@code current}, in spec order. */
  public static List<FeatureDistribution> of(MonitorSpec spec, BaselineFile profile, CsvTable current) {
    List<FeatureDistribution> out = new ArrayList<>();
    for (FeatureSpec feature : spec.features()) {
      FeatureBaseline ref = profile.features().get(feature.name());
      int column = current.column(feature.name());
      if (feature.type() == FeatureType.NUMERIC) {
        NumericSummary.Bins bins = ref.numeric().binsFor(binCount(spec, feature));
        if (bins == null) {
          bins = ref.numeric().binsFor(DriftTestSpec.DEFAULT_BINS);
        }
        out.add(numeric(feature.name(), bins.edges(), bins.counts(), current.numbers(column)));
      } else {
        out.add(categorical(feature.name(), ref.categories(), current.categoryCounts(column)));
      }
    }
    return out;
  }

  private static int binCount(MonitorSpec spec, FeatureSpec feature) {
    for (DriftTestSpec t : spec.testsFor(feature)) {
      if (t.test().id().equals("psi")) {
        return t.bins();
      }
    }
    return DriftTestSpec.DEFAULT_BINS;
  }

  /** A numeric feature on the reference's {@code edges}. */
  public static FeatureDistribution numeric(String feature, double[] edges, long[] reference, double[] current) {
    return new FeatureDistribution(feature, "numeric", edges.clone(), binLabels(edges), reference.clone(),
        Psi.binCounts(edges, current));
  }

  /**
   * The counts a drift result's PSI compared: its bins (numeric) or its categories, most frequent
   * first, with the summed rest as one {@code (other k)} bar.
   */
  public static FeatureDistribution of(String feature, DriftBins bins) {
    if (bins.isNumeric()) {
      return new FeatureDistribution(feature, "numeric", bins.edges(), binLabels(bins.edges()), bins.reference(),
          bins.current());
    }
    List<String> labels = new ArrayList<>(List.of(bins.categories()));
    long[] ref = bins.reference();
    long[] cur = bins.current();
    if (bins.otherCategories() != null) {
      labels.add("(other " + bins.otherCategories() + ")");
      ref = java.util.Arrays.copyOf(ref, ref.length + 1);
      cur = java.util.Arrays.copyOf(cur, cur.length + 1);
      ref[ref.length - 1] = bins.otherReference();
      cur[cur.length - 1] = bins.otherCurrent();
    }
    return new FeatureDistribution(feature, "categorical", new double[0], List.copyOf(labels), ref, cur);
  }

  private static List<String> binLabels(double[] edges) {
    int digits = digits(edges);
    List<String> labels = new ArrayList<>();
    for (int i = 0; i <= edges.length; i++) {
      labels.add(i == 0 ? "< " + num(edges[0], digits) : i == edges.length ? "≥ " + num(edges[i - 1], digits)
          : "[" + num(edges[i - 1], digits) + ", " + num(edges[i], digits) + ")");
    }
    if (edges.length == 0) {
      labels.set(0, "all");
    }
    return List.copyOf(labels);
  }

  /** A categorical feature: both sides' categories, most frequent first, the tail summed. */
  public static FeatureDistribution categorical(String feature, Map<String, Long> reference, Map<String, Long> current) {
    long refTotal = Math.max(1, reference.values().stream().mapToLong(Long::longValue).sum());
    long curTotal = Math.max(1, current.values().stream().mapToLong(Long::longValue).sum());
    TreeSet<String> all = new TreeSet<>(reference.keySet());
    all.addAll(current.keySet());
    List<String> order = new ArrayList<>(all);
    order.sort(Comparator.comparingDouble((String c) -> -(reference.getOrDefault(c, 0L) / (double) refTotal
        + current.getOrDefault(c, 0L) / (double) curTotal)).thenComparing(Comparator.naturalOrder()));
    int shown = order.size() <= MAX_CATEGORIES ? order.size() : MAX_CATEGORIES - 1;
    int bars = order.size() <= MAX_CATEGORIES ? order.size() : MAX_CATEGORIES;
    long[] ref = new long[bars];
    long[] cur = new long[bars];
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      int bar = Math.min(i, shown);
      ref[bar] += reference.getOrDefault(order.get(i), 0L);
      cur[bar] += current.getOrDefault(order.get(i), 0L);
      if (i < shown) {
        labels.add(order.get(i));
      }
    }
    if (bars > shown) {
      labels.add("(other " + (order.size() - shown) + ")");
    }
    return new FeatureDistribution(feature, "categorical", new double[0], List.copyOf(labels), ref, cur);
  }

  private static long sum(long[] counts) {
    long s = 0;
    for (long c : counts) {
      s += c;
    }
    return s;
  }

  /** The fewest significant digits (3 to 12) that keep every edge's label distinct. */
  private static int digits(double[] edges) {
    for (int d = 3; d < 12; d++) {
      TreeSet<String> seen = new TreeSet<>();
      boolean distinct = true;
      for (double e : edges) {
        distinct &= seen.add(num(e, d));
      }
      if (distinct) {
        return d;
      }
    }
    return 12;
  }

  /** {@code digits} significant digits, plainly written between 1e-4 and 1e9 (29700, not 2.97e+04). */
  static String num(double v, int digits) {
    double a = Math.abs(v);
    if (v == 0 || (a >= 1e-4 && a < 1e9)) {
      return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }
    return String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
  }
}
