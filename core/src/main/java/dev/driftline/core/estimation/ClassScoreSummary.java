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
 * of equal ones) and how many predictions had it. While there are at most {@link #cellLimit()}
 * distinct rows they are kept exactly; past that the rows are grouped by their predicted class and
 * the cell of a grid of 2<sup>-level</sup> each probability falls in (level {@link #FINEST_LEVEL}
 * first, then coarser until the cells fit), and a cell is read as the mean of its rows, summed in
 * fixed point (2<sup>-32</sup>) so that the sums are exact integers. The grids nest and the sums
 * are exact, so the level is the finest at which all the window's rows fit and the content, and so
 * the estimate, depends only on the rows added, not on their order or on how partial summaries
 * were merged. At level 0 a cell is a predicted class, so at most k cells remain whatever the
 * traffic.
 *
 * <p>Mutable and not thread-safe.
 */
public final class ClassScoreSummary {
  /** Probabilities kept at most (cells × classes): serialized, at most about 100 KB exact, 170 KB coarsened (3 classes). */
  public static final int VALUE_LIMIT = 8_192;
  /** The first grid after the exact rows: 2<sup>-10</sup>. */
  public static final int FINEST_LEVEL = 10;
  private static final int EXACT = Byte.MAX_VALUE;
  /** Fixed-point scale of the sums of a coarsened cell: a cell holds up to 2<sup>31</sup> rows exactly. */
  private static final double SCALE = 0x1p32;

  private final int k;
  private final int cellLimit;
  private int level = EXACT;
  private final HashMap<Key, Cell> cells = new HashMap<>();

  /**
   * A cell's key: its predicted class and, while exact, its row's probabilities' bits; once
   * coarsened, the grid index of each probability.
   */
  private record Key(int predicted, long[] coordinates) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key r && r.predicted == predicted && Arrays.equals(r.coordinates, coordinates);
    }

    @Override
    public int hashCode() {
      return 31 * predicted + Arrays.hashCode(coordinates);
    }

    int compareTo(Key other) {
      return predicted != other.predicted ? Integer.compare(predicted, other.predicted)
          : Arrays.compare(coordinates, other.coordinates);
    }
  }

  /** How many rows a cell holds and, once coarsened, the fixed-point sums of their probabilities. */
  private static final class Cell {
    long count;
    long[] sums;

    Cell(long count, long[] sums) {
      this.count = count;
      this.sums = sums;
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
    for (Cell c : cells.values()) {
      n += c.count;
    }
    return n;
  }

  /**
   * Adds one prediction's probabilities (k of them, in [0, 1]; copied, not kept).
   *
   * @throws IllegalArgumentException when {@code p} does not have k probabilities
   */
  public void add(double[] p) {
    if (p == null || p.length != k) {
      throw new IllegalArgumentException("class probabilities of " + (p == null ? 0 : p.length) + " classes, expected " + k);
    }
    int predicted = ClassScores.argmax(p);
    long[] bits = new long[k];
    for (int c = 0; c < k; c++) {
      bits[c] = Double.doubleToLongBits(p[c]);
    }
    if (level == EXACT) {
      count(new Key(predicted, bits), 1, null);
    } else {
      count(new Key(predicted, index(bits, EXACT, level)), 1, fixed(bits, 1));
    }
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
    for (Map.Entry<Key, Cell> e : other.cells.entrySet()) {
      Key key = e.getKey();
      Cell cell = e.getValue();
      if (level == other.level) {
        count(key, cell.count, cell.sums == null ? null : cell.sums.clone());
      } else {
        count(new Key(key.predicted, index(key.coordinates, other.level, level)), cell.count, sums(key, cell, other.level));
      }
    }
    fit();
  }

  private void count(Key key, long n, long[] sums) {
    Cell c = cells.get(key);
    if (c == null) {
      cells.put(key, new Cell(n, sums));
      return;
    }
    c.count += n;
    if (sums != null) {
      for (int i = 0; i < k; i++) {
        c.sums[i] += sums[i];
      }
    }
  }

  /** Coarsens until the cells fit: to the finest grid first, then one level at a time. */
  private void fit() {
    while (cells.size() > cellLimit && level > 0) {
      coarsen(level == EXACT ? FINEST_LEVEL : level - 1);
    }
  }

  private void coarsen(int to) {
    List<Map.Entry<Key, Cell>> held = new ArrayList<>(cells.entrySet());
    cells.clear();
    int from = level;
    level = to;
    for (Map.Entry<Key, Cell> e : held) {
      Key key = e.getKey();
      count(new Key(key.predicted, index(key.coordinates, from, to)), e.getValue().count, sums(key, e.getValue(), from));
    }
  }

  /** A cell's sums: its own once coarsened, else its exact row's fixed-point values times its count. */
  private static long[] sums(Key key, Cell cell, int level) {
    return level == EXACT ? fixed(key.coordinates, cell.count) : cell.sums;
  }

  private static long[] fixed(long[] bits, long count) {
    long[] out = new long[bits.length];
    for (int c = 0; c < bits.length; c++) {
      out[c] = Math.round(Double.longBitsToDouble(bits[c]) * SCALE) * count;
    }
    return out;
  }

  /** Grid indices at level {@code to} of coordinates at level {@code from} (exact: the probabilities' bits); 1 is in the top cell. */
  private static long[] index(long[] coordinates, int from, int to) {
    long[] out = new long[coordinates.length];
    long top = (1L << to) - 1;
    for (int c = 0; c < coordinates.length; c++) {
      out[c] = from == EXACT
          ? Math.min(top, (long) Math.floor(Double.longBitsToDouble(coordinates[c]) * (1L << to)))
          : coordinates[c] >> (from - to);
    }
    return out;
  }

  /** The cells in a fixed order (by predicted class, then key), each read as its row or the mean of its rows. */
  Rows rows() {
    List<Map.Entry<Key, Cell>> sorted = new ArrayList<>(cells.entrySet());
    sorted.sort((a, b) -> a.getKey().compareTo(b.getKey()));
    int m = sorted.size();
    double[][] p = new double[m][k];
    int[] predicted = new int[m];
    long[] counts = new long[m];
    for (int i = 0; i < m; i++) {
      Key key = sorted.get(i).getKey();
      Cell cell = sorted.get(i).getValue();
      for (int c = 0; c < k; c++) {
        p[i][c] = level == EXACT ? Double.longBitsToDouble(key.coordinates[c]) : cell.sums[c] / SCALE / cell.count;
      }
      predicted[i] = key.predicted;
      counts[i] = cell.count;
    }
    return new Rows(p, predicted, counts);
  }

  /** Distinct rows (or cell means), their predicted classes and counts, in a fixed order. */
  record Rows(double[][] probabilities, int[] predicted, long[] counts) {}

  /**
   * k, the level, the cell count, then per cell (in {@link #rows()} order) its predicted class, k
   * coordinates (a row's probabilities, or grid indices), its count and, once coarsened, k sums.
   */
  public void write(DataOutput out) throws IOException {
    out.writeInt(k);
    out.writeByte(level);
    List<Map.Entry<Key, Cell>> sorted = new ArrayList<>(cells.entrySet());
    sorted.sort((a, b) -> a.getKey().compareTo(b.getKey()));
    out.writeInt(sorted.size());
    for (Map.Entry<Key, Cell> e : sorted) {
      out.writeInt(e.getKey().predicted);
      for (long v : e.getKey().coordinates) {
        out.writeLong(v);
      }
      out.writeLong(e.getValue().count);
      if (level != EXACT) {
        for (long v : e.getValue().sums) {
          out.writeLong(v);
        }
      }
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
      long[] coordinates = new long[k];
      for (int c = 0; c < k; c++) {
        coordinates[c] = in.readLong();
      }
      long count = in.readLong();
      long[] sums = null;
      if (level != EXACT) {
        sums = new long[k];
        for (int c = 0; c < k; c++) {
          sums[c] = in.readLong();
        }
      }
      s.count(new Key(predicted, coordinates), count, sums);
    }
    return s;
  }
}
