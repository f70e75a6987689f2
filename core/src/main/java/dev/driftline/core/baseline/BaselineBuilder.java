package dev.driftline.core.baseline;

import dev.driftline.core.estimation.MulticlassEstimator;
import dev.driftline.core.estimation.ScoreCalibration;
import dev.driftline.core.events.ClassScores;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.Task;
import dev.driftline.core.stats.NumericHistogram;
import dev.driftline.core.stats.PcaModel;
import dev.driftline.core.stats.Psi;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;

/** Builds a {@link BaselineFile} from training data in a CSV file with a header row. */
public final class BaselineBuilder {
  private BaselineBuilder() {}

  /**
   * Profiles every spec feature (each must be a column), with the data-quality constraints it
   * suggests ({@link Constraints#suggest}), plus the score and label columns when the file has
   * them. Empty cells are missing values; any other unusable cell fails the build.
   */
  public static BaselineFile build(MonitorSpec spec, CsvTable table, Instant createdAt) {
    Map<String, FeatureBaseline> features = new LinkedHashMap<>();
    for (FeatureSpec feature : spec.features()) {
      int column = table.column(feature.name());
      FeatureBaseline profile = feature.type() == FeatureType.NUMERIC
          ? numeric(table, column, binCounts(spec))
          : categorical(table, column);
      features.put(feature.name(), profile.withConstraints(Constraints.suggest(profile)));
    }
    String scoreField = spec.fields().score();
    FeatureBaseline score = table.hasColumn(scoreField)
        ? numeric(table, table.column(scoreField), binCounts(spec)) : null;
    String labelField = spec.fields().label();
    FeatureBaseline label = null;
    if (table.hasColumn(labelField)) {
      label = spec.task() == Task.REGRESSION
          ? numeric(table, table.column(labelField), binCounts(spec))
          : categorical(table, table.column(labelField));
    }
    ScoreCalibration calibration = null;
    List<ScoreCalibration> classCalibrations = null;
    if (spec.estimation().enabled() && spec.task() == Task.MULTICLASS_CLASSIFICATION) {
      classCalibrations = label == null ? null : classCalibrations(spec, table, table.column(labelField));
    } else if (spec.estimation().enabled() && score != null && label != null) {
      calibration = calibration(spec, table, table.column(scoreField), table.column(labelField));
    }
    PcaModel pca = spec.pca().enabled() ? pca(spec, table) : null;
    Instant created = createdAt.truncatedTo(ChronoUnit.SECONDS);
    String profileId = spec.modelId() + "@" + spec.specHash().substring(0, 12) + "@" + created;
    return new BaselineFile(BaselineFile.FORMAT, profileId, spec.modelId(), spec.specHash(),
        created.toString(), table.source(), table.rowCount(), features, score, label, calibration, null, pca, classCalibrations);
  }

  /** The spec's PCA model fitted on the numeric feature columns, rows in file order (empty cells missing). */
  static PcaModel pca(MonitorSpec spec, CsvTable table) {
    List<String> names = spec.numericFeatureNames();
    int[] columns = names.stream().mapToInt(table::column).toArray();
    double[][] rows = new double[table.rowCount()][columns.length];
    for (int r = 0; r < rows.length; r++) {
      for (int j = 0; j < columns.length; j++) {
        rows[r][j] = table.cell(r, columns[j]).isEmpty() ? Double.NaN : table.number(r, columns[j]);
      }
    }
    try {
      return PcaModel.fit(names, rows, spec.pca().varianceShare(), spec.pca().chunkSize());
    } catch (IllegalArgumentException e) {
      throw new InputException(table.source() + ": " + e.getMessage());
    }
  }

  /**
   * The spec's calibration of the score, fitted on the rows that have both a score and a label
   * (0/1 or false/true); null when there are none.
   */
  static ScoreCalibration calibration(MonitorSpec spec, CsvTable table, int scoreColumn, int labelColumn) {
    double[] scores = new double[table.rowCount()];
    boolean[] labels = new boolean[table.rowCount()];
    int n = 0;
    for (int row = 0; row < table.rowCount(); row++) {
      String label = table.cell(row, labelColumn);
      if (label.isEmpty() || table.cell(row, scoreColumn).isEmpty()) {
        continue;
      }
      double s = table.number(row, scoreColumn);
      if (!(s >= 0 && s <= 1)) {
        throw new InputException(table.where(row, scoreColumn) + ": expected a score in [0, 1], got " + s);
      }
      labels[n] = switch (label.toLowerCase(Locale.ROOT)) {
        case "1", "1.0", "true" -> true;
        case "0", "0.0", "false" -> false;
        default -> throw new InputException(table.where(row, labelColumn) + ": expected a label 0, 1, true or false, got \""
            + label + "\"");
      };
      scores[n++] = s;
    }
    return n == 0 ? null
        : ScoreCalibration.fit(spec.estimation().calibration(), Arrays.copyOf(scores, n), Arrays.copyOf(labels, n));
  }

  /**
   * The column of class {@code name}'s probability in a multiclass classifier's training data:
   * {@code <score field>.<class>}, as {@code scores.billing}.
   */
  public static String classScoreColumn(MonitorSpec spec, String name) {
    return spec.fields().score() + "." + name;
  }

  /**
   * A multiclass classifier's one-vs-rest calibration of each class ({@link MulticlassEstimator#fit}),
   * fitted on the rows with a label (a class name) and every class's probability ({@link
   * #classScoreColumn}), each row divided by its sum as the prediction decoder does; null when the
   * file lacks a class's column or has no such row.
   */
  static List<ScoreCalibration> classCalibrations(MonitorSpec spec, CsvTable table, int labelColumn) {
    List<String> classes = spec.classes();
    int k = classes.size();
    int[] columns = new int[k];
    for (int c = 0; c < k; c++) {
      String column = classScoreColumn(spec, classes.get(c));
      if (!table.hasColumn(column)) {
        return null;
      }
      columns[c] = table.column(column);
    }
    double[][] rows = new double[table.rowCount()][];
    int[] labels = new int[table.rowCount()];
    int n = 0;
    for (int row = 0; row < table.rowCount(); row++) {
      String label = table.cell(row, labelColumn);
      int r = row;
      if (label.isEmpty() || Arrays.stream(columns).anyMatch(c -> table.cell(r, c).isEmpty())) {
        continue;
      }
      int index = spec.classIndex(label);
      if (index < 0) {
        throw new InputException(table.where(row, labelColumn) + ": expected one of the classes "
            + String.join("|", classes) + ", got \"" + label + "\"");
      }
      double[] p = new double[k];
      double sum = 0;
      for (int c = 0; c < k; c++) {
        p[c] = table.number(row, columns[c]);
        if (!(p[c] >= 0 && p[c] <= 1)) {
          throw new InputException(table.where(row, columns[c]) + ": expected a probability in [0, 1], got " + p[c]);
        }
        sum += p[c];
      }
      if (!(Math.abs(sum - 1) <= ClassScores.SUM_TOLERANCE)) {
        throw new InputException(table.where(row, columns[0]) + ": expected class probabilities summing to 1 (within "
            + ClassScores.SUM_TOLERANCE + "), got a sum of " + sum);
      }
      for (int c = 0; c < k && sum != 1; c++) {
        p[c] /= sum;
      }
      rows[n] = p;
      labels[n++] = index;
    }
    if (n == 0) {
      return null;
    }
    long[] support = new long[k];
    for (int i = 0; i < n; i++) {
      support[labels[i]]++;
    }
    for (int c = 0; c < k; c++) {
      if (support[c] == 0) {
        throw new InputException(table.source() + ": column " + table.header().get(labelColumn) + ": no row labelled "
            + classes.get(c) + "; expected every class labelled to calibrate its probability");
      }
    }
    return MulticlassEstimator.fit(spec.estimation().calibration(), Arrays.copyOf(rows, n), Arrays.copyOf(labels, n), k);
  }

  private static int[] binCounts(MonitorSpec spec) {
    return spec.binCounts();
  }

  static FeatureBaseline numeric(CsvTable table, int column, int[] binCounts) {
    double[] values = table.numbers(column);
    return new FeatureBaseline("numeric", values.length, table.rowCount() - values.length,
        summarize(values, binCounts), null);
  }

  /** Summary of {@code values} (any order; not modified) with bins for each of {@code binCounts}. */
  public static NumericSummary summarize(double[] values, int[] binCounts) {
    return summarize(values, binCounts, NumericSummary.EXACT_LIMIT);
  }

  /** As {@link #summarize(double[], int[])}, keeping the values whenever there are at most {@code keepLimit}. */
  public static NumericSummary summarize(double[] values, int[] binCounts, int keepLimit) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    NumericHistogram histogram = new NumericHistogram(NumericSummary.REFERENCE_BUCKETS);
    for (double v : sorted) {
      histogram.add(v);
    }
    double mean = new Mean().evaluate(sorted);
    double std = sorted.length > 1 ? new StandardDeviation().evaluate(sorted, mean) : 0.0;
    List<NumericSummary.Bins> bins = Arrays.stream(binCounts)
        .mapToObj(k -> {
          double[] edges = Psi.binEdges(sorted, k);
          return new NumericSummary.Bins(k, edges, Psi.binCounts(edges, sorted));
        })
        .toList();
    return new NumericSummary(mean, std, sorted[0], sorted[sorted.length - 1], null,
        sorted.length <= keepLimit ? sorted : null, bins, NumericSummary.encode(histogram));
  }

  /**
   * Summary of a sample known only as coarsened buckets (a large window used as a reference): mean,
   * standard deviation and bin edges from the bucket midpoints, counts per bin by bucket.
   */
  public static NumericSummary summarize(NumericHistogram.Buckets buckets, int[] binCounts) {
    double n = buckets.n();
    double sum = 0;
    for (int i = 0; i < buckets.size(); i++) {
      sum += buckets.counts()[i] * buckets.representative(i);
    }
    double mean = sum / n;
    double squares = 0;
    for (int i = 0; i < buckets.size(); i++) {
      double d = buckets.representative(i) - mean;
      squares += buckets.counts()[i] * d * d;
    }
    double std = n > 1 ? Math.sqrt(squares / (n - 1)) : 0.0;
    List<NumericSummary.Bins> bins = Arrays.stream(binCounts).mapToObj(k -> {
      double[] edges = new double[k - 1];
      int w = 0;
      for (int level = 1; level < k; level++) {
        double e = quantile(buckets, (double) level / k);
        if (w == 0 || e > edges[w - 1]) {
          edges[w++] = e;
        }
      }
      edges = Arrays.copyOf(edges, w);
      return new NumericSummary.Bins(k, edges, Psi.binCounts(edges, buckets));
    }).toList();
    return new NumericSummary(mean, std, buckets.min(), buckets.max(), null, null, bins,
        NumericSummary.encode(NumericHistogram.of(buckets, NumericSummary.REFERENCE_BUCKETS)));
  }

  private static double quantile(NumericHistogram.Buckets buckets, double u) {
    return buckets.quantile(buckets.cumulativeCounts(), u);
  }

  static FeatureBaseline categorical(CsvTable table, int column) {
    Map<String, Long> counts = table.categoryCounts(column);
    long n = counts.values().stream().mapToLong(Long::longValue).sum();
    return new FeatureBaseline("categorical", n, table.rowCount() - n, null, counts);
  }
}
