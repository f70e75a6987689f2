package dev.driftline.core.profile;

import dev.driftline.core.io.CsvTable;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.Task;
import dev.driftline.core.stats.Psi;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.apache.datasketches.kll.KllDoublesSketch;

/** Builds a {@link ReferenceProfile} from training data in a CSV file with a header row. */
public final class ProfileBuilder {
  private ProfileBuilder() {}

  /**
   * Profiles every spec feature (each must be a column), plus the score and label columns when the
   * file has them. Empty cells are missing values; any other unusable cell fails the build.
   */
  public static ReferenceProfile build(MonitorSpec spec, CsvTable table, Instant createdAt) {
    Map<String, FeatureProfile> features = new LinkedHashMap<>();
    for (FeatureSpec feature : spec.features()) {
      int column = table.column(feature.name());
      features.put(feature.name(), feature.type() == FeatureType.NUMERIC
          ? numeric(table, column, binCounts(spec))
          : categorical(table, column));
    }
    String scoreField = spec.fields().score();
    FeatureProfile score = table.hasColumn(scoreField)
        ? numeric(table, table.column(scoreField), binCounts(spec)) : null;
    String labelField = spec.fields().label();
    FeatureProfile label = null;
    if (table.hasColumn(labelField)) {
      label = spec.task() == Task.REGRESSION
          ? numeric(table, table.column(labelField), binCounts(spec))
          : categorical(table, table.column(labelField));
    }
    Instant created = createdAt.truncatedTo(ChronoUnit.SECONDS);
    String profileId = spec.modelId() + "@" + spec.specHash().substring(0, 12) + "@" + created;
    return new ReferenceProfile(ReferenceProfile.FORMAT, profileId, spec.modelId(), spec.specHash(),
        created.toString(), table.source(), table.rowCount(), features, score, label);
  }

  /** Every bin count a numeric binned test of the spec uses (10 when none). */
  private static int[] binCounts(MonitorSpec spec) {
    TreeSet<Integer> counts = new TreeSet<>();
    for (DriftTestSpec t : spec.numericTests()) {
      counts.add(t.bins());
    }
    counts.add(DriftTestSpec.DEFAULT_BINS);
    return counts.stream().mapToInt(Integer::intValue).toArray();
  }

  static FeatureProfile numeric(CsvTable table, int column, int[] binCounts) {
    double[] values = table.numbers(column);
    return new FeatureProfile("numeric", values.length, table.rowCount() - values.length,
        summarize(values, binCounts), null);
  }

  /** Summary of {@code values} (any order; not modified) with bins for each of {@code binCounts}. */
  public static NumericSummary summarize(double[] values, int[] binCounts) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(NumericSummary.REFERENCE_K);
    for (double v : sorted) {
      sketch.update(v);
    }
    double mean = new Mean().evaluate(sorted);
    double std = sorted.length > 1 ? new StandardDeviation().evaluate(sorted, mean) : 0.0;
    List<NumericSummary.Bins> bins = Arrays.stream(binCounts)
        .mapToObj(k -> {
          double[] edges = Psi.binEdges(sorted, k);
          return new NumericSummary.Bins(k, edges, Psi.binCounts(edges, sorted));
        })
        .toList();
    return new NumericSummary(mean, std, sorted[0], sorted[sorted.length - 1],
        NumericSummary.encode(sketch),
        sorted.length <= NumericSummary.EXACT_LIMIT ? sorted : null, bins);
  }

  static FeatureProfile categorical(CsvTable table, int column) {
    Map<String, Long> counts = table.categoryCounts(column);
    long n = counts.values().stream().mapToLong(Long::longValue).sum();
    return new FeatureProfile("categorical", n, table.rowCount() - n, null, counts);
  }
}
