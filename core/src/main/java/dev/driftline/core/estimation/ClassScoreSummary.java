package dev.driftline.core.estimation;

import dev.driftline.core.events.ClassScores;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link MulticlassEstimator} needs of a window's predictions, bounded and mergeable: the
 * distinct rows of class probabilities, each with its predicted class (the most probable, the first
 * of equal ones) and how many predictions had it. While there are at most {@link #cellLimit} distinct
 * rows they are kept exactly; past that every probability is rounded down to a grid of
 * 2<sup>-level</sup> (level {@link #FINEST_LEVEL} first, then coarser until the rows fit) and read at
 * its cell's midpoint, the predicted class still the row's own. The grids nest, so the level is the
 * finest at which all the window's rows fit: the content, and so the estimate, depends only on the
 * rows added, not on their order or on how partial summaries were merged. At level 0 a row is its
 * predicted class only, so at most k cells remain whatever the traffic.
 *
 * <p>Mutable and not thread-safe.
 */
public final class ClassScoreSummary {
  /** Probabilities kept at most (cells × classes), so the summary stays within about 100 KB. */
  public static final int VALUE_LIMIT = 8_192;
  /** The first grid after the exact rows: 2<sup>-10</sup>. */
  public static final int FINEST_LEVEL = 10;
  private static final int EXACT = Byte.MAX_VALUE;

  private final int k;
  private final int cellLimit;
  private int level = EXACT;
  private final HashMap<Row, long[]> cells = new HashMap<>();

  /** One distinct row: its predicted class and its probabilities (exact, or cell midpoints). */
  private record Row(int predicted, double[] p) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Row r && r.predicted == predicted && Arrays.equals(r.p, p);
    }

    @Override
    public int hashCode() {
      return 31 * predicted + Arrays.hashCode(p);
    }

    int compareTo(Row other) {
      if (predicted != other.predicted) {
        return Integer.compare(predicted, other.predicted);
      }
      return Arrays.compare(p, other.p);
    }
  }

  /** An empty summary of {@code k} classes, coarsened past {@link #VALUE_LIMIT} probabilities. */
  public ClassScoreSummary(int k) {
    this(k, Math.max(k, VALUE_LIMIT / k));
  }

  private ClassScoreSummary(int k, int cellLimit) {
    if (k < 2) {
      throw new IllegalArgumentException("class probabilities of " + k + " classes, expected at least 2");
    }
    this.k = k;
    this.cellLimit = cellLimit;
  }

  /** The rows of {@code probabilities} (n × k), every distinct row kept exactly whatever their number. */
  public static ClassScoreSummary exact(double[][] probabilities, int k) {
    ClassScoreSummary s = new ClassScoreSummary(k, Integer.MAX_VALUE);
    for (double[] row : probabilities) {
      s.add(row);
    }
    return s;
  }

  public int classes() {
    return k;
  }

  /** Cells kept at most before the rows are coarsened. */
  public int cellLimit() {
    return cellLimit;
  }

  /** True while every row is kept exactly. */
  public boolean isExact() {
    return level == EXACT;
  }

  /** The grid's level (cells of 2<sup>-level</sup>), or -1 while the rows are exact. */
  public int level() {
    return level == EXACT ? -1 : level;
  }

  /** The rows added. */
  public long n() {
    long n = 0;
    for (long[] c : cells.values()) {
      n += c[0];
    }
    return n;
  }

  /**
   * Adds one prediction's probabilities (k of them, in [0, 1]; not kept, copied).
   *
   * @throws IllegalArgumentException when {@code p} does not have k probabilities
   */
  public void add(double[] p) {
    if (p == null || p.length != k) {
      throw new IllegalArgumentException("class probabilities of " + (p == null ? 0 : p.length) + " classes, expected " + k);
    }
    int predicted = ClassScores.argmax(p);
    count(new Row(predicted, level == EXACT ? p.clone() : quantize(p, level)), 1);
    fit();
  }

  /** Folds {@code other} (same number of classes) into this one. */
  public void merge(ClassScoreSummary other) {
    if (other.k != k) {
      throw new IllegalArgumentException("class probabilities of " + k + " and " + other.k + " classes");
    }
    if (other.level < level) {
      coarsen(other.level);
    }
    for (Map.Entry<Row, long[]> e : other.cells.entrySet()) {
      Row r = e.getKey();
      count(level == other.level ? r : new Row(r.predicted, quantize(r.p, level)), e.getValue()[0]);
    }
    fit();
  }

  private void count(Row row, long n) {
    long[] c = cells.get(row);
    if (c == null) {
      cells.put(row, new long[] {n});
    } else {
      c[0] += n;
    }
  }

  /** Coarsens until the cells fit: to the finest grid first, then one level at a time. */
  private void fit() {
    while (cells.size() > cellLimit && level > 0) {
      coarsen(level == EXACT ? FINEST_LEVEL : level - 1);
    }
  }

  private void coarsen(int to) {
    List<Map.Entry<Row, long[]>> held = new ArrayList<>(cells.entrySet());
    cells.clear();
    level = to;
    for (Map.Entry<Row, long[]> e : held) {
      count(new Row(e.getKey().predicted, quantize(e.getKey().p, to)), e.getValue()[0]);
    }
  }

  /** Each probability's cell midpoint at {@code level}; 1 falls in the top cell. */
  private static double[] quantize(double[] p, int level) {
    double cells = Math.scalb(1.0, level);
    double[] out = new double[p.length];
    for (int c = 0; c < p.length; c++) {
      double i = Math.min(cells - 1, Math.floor(p[c] * cells));
      out[c] = (i + 0.5) / cells;
    }
    return out;
  }

  /** The distinct rows in a fixed order (by predicted class, then probabilities), for the estimator. */
  Rows rows() {
    List<Map.Entry<Row, long[]>> sorted = new ArrayList<>(cells.entrySet());
    sorted.sort((a, b) -> a.getKey().compareTo(b.getKey()));
    int m = sorted.size();
    double[][] p = new double[m][];
    int[] predicted = new int[m];
    long[] counts = new long[m];
    for (int i = 0; i < m; i++) {
      p[i] = sorted.get(i).getKey().p;
      predicted[i] = sorted.get(i).getKey().predicted;
      counts[i] = sorted.get(i).getValue()[0];
    }
    return new Rows(p, predicted, counts);
  }

  /** Distinct rows, their predicted classes and counts, in a fixed order. */
  record Rows(double[][] probabilities, int[] predicted, long[] counts) {}

  /** k, the level, the cell count, then per cell (in {@link #rows()} order) its predicted class, probabilities and count. */
  public void write(DataOutput out) throws IOException {
    out.writeInt(k);
    out.writeByte(level);
    Rows rows = rows();
    out.writeInt(rows.counts().length);
    for (int i = 0; i < rows.counts().length; i++) {
      out.writeInt(rows.predicted()[i]);
      for (double v : rows.probabilities()[i]) {
        out.writeDouble(v);
      }
      out.writeLong(rows.counts()[i]);
    }
  }

  public static ClassScoreSummary read(DataInput in) throws IOException {
    int k = in.readInt();
    if (k < 2 || k > 10_000) {
      throw new IOException("class probabilities of " + k + " classes, expected 2 to 10000");
    }
    ClassScoreSummary s = new ClassScoreSummary(k);
    int level = in.readByte();
    if (level != EXACT && (level < 0 || level > FINEST_LEVEL)) {
      throw new IOException("class probability grid level " + level + ", expected 0 to " + FINEST_LEVEL + " or exact");
    }
    s.level = level;
    int m = in.readInt();
    if (m < 0 || m > s.cellLimit) {
      throw new IOException("class probabilities of " + m + " distinct rows, expected 0 to " + s.cellLimit);
    }
    for (int i = 0; i < m; i++) {
      int predicted = in.readInt();
      if (predicted < 0 || predicted >= k) {
        throw new IOException("predicted class " + predicted + ", expected 0.." + (k - 1));
      }
      double[] p = new double[k];
      for (int c = 0; c < k; c++) {
        p[c] = in.readDouble();
      }
      s.count(new Row(predicted, p), in.readLong());
    }
    return s;
  }
}
