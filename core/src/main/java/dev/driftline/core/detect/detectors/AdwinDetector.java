package dev.driftline.core.detect.detectors;

import dev.driftline.core.detect.Detection;
import dev.driftline.core.detect.OnlineDetector;
import dev.driftline.core.detect.Watch;
import dev.driftline.core.spec.SpecNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ADWIN on the per-window error rate ({@code policy.adwin}): Bifet and Gavaldà's adaptive window
 * ("Learning from Time-Changing Data with Adaptive Windowing", SDM 2007), the ADWIN2 variant.
 *
 * <p>The window W of the values seen since the last cut is kept as an exponential histogram: row
 * i holds buckets of 2^i values (their sum and their sum of squared deviations), at most
 * {@link #BUCKETS_PER_ROW} (the paper's M) per row; when a row has one more, its two oldest merge
 * into one bucket of the next row. Memory is O(M log W) buckets whatever the stream's length. After
 * each value, every split of W at a bucket boundary into an older W0 (n0 values, mean μ0) and a
 * recent W1 (n1 values, mean μ1), both of at least {@code min_windows} values, is tested:
 *
 * <pre>
 *   m = 1 / (1/n0 + 1/n1),   δ' = δ / ln n,   n = n0 + n1
 *   ε_cut = sqrt(2/m · σ²_W · ln(2/δ')) + 2/(3m) · ln(2/δ')
 * </pre>
 *
 * with σ²_W the variance of W (the paper's bound for values in [0, 1], with δ' = δ / ln n because
 * ADWIN2 tests O(log W) cut points; ADWIN0, testing all n, uses δ / n). While some split has
 * |μ1 - μ0| > ε_cut the oldest bucket is dropped. A cut where the recent mean is higher fires
 * (evidence: μ1 - μ0 and ε_cut); a cut where the error fell only shrinks the window: better
 * predictions are no reason to retrain. Deterministic; every window is tested (no clock).
 */
public enum AdwinDetector implements OnlineDetector<AdwinDetector.Options, AdwinDetector.State> {
  INSTANCE;

  /** Buckets per row of the histogram: the paper's M (5, as the authors' implementation). */
  public static final int BUCKETS_PER_ROW = 5;

  /**
   * @param delta confidence: the chance of a false cut on a stationary stream is at most about delta
   * @param minWindows the fewest values each side of a cut must hold
   */
  public record Options(double delta, int minWindows) implements Serializable {}

  /** 2^row values: their sum and the sum of their squared deviations from their mean. */
  public record Bucket(double sum, double m2) {}

  /** The window as an exponential histogram. */
  public static final class State {
    /** {@code rows.get(i)}: buckets of 2^i values each, oldest first; row 0 holds the newest values. */
    public List<List<Bucket>> rows = new ArrayList<>();
  }

  /** A split whose sub-window means differ by more than ε_cut. */
  public record Cut(long n0, long n1, double mean0, double mean1, double epsilon) {
    public boolean rise() {
      return mean1 > mean0;
    }
  }

  @Override
  public String id() {
    return "adwin";
  }

  @Override
  public String description() {
    return "ADWIN2 adaptive window on the per-window error rate: fires when it cuts the window and the recent part's error is higher.";
  }

  @Override
  public Options options(SpecNode options, Context context) {
    options.requireMapping("delta", "min_windows");
    return new Options(
        options.get("delta").number(0.002, Double.MIN_VALUE, 1.0),
        options.get("min_windows").integer(5, 1, 10_000));
  }

  @Override
  public Watch watch(Options options) {
    return Watch.ERROR_RATE;
  }

  @Override
  public Class<State> stateType() {
    return State.class;
  }

  @Override
  public State start(Options options, long seed) {
    return new State();
  }

  @Override
  public Detection update(Options o, State s, double value) {
    add(s, value);
    Cut rise = null;
    for (Cut c : shrink(s, o)) {
      if (rise == null && c.rise()) {
        rise = c;
      }
    }
    if (rise == null) {
      return Detection.NONE;
    }
    return Detection.fired(String.format(Locale.ROOT,
        "ADWIN: error rate rose from %.4f (older %d windows) to %.4f (recent %d windows): difference %.4f > ε_cut %.4f",
        rise.mean0(), rise.n0(), rise.mean1(), rise.n1(), rise.mean1() - rise.mean0(), rise.epsilon()),
        rise.mean1() - rise.mean0(), rise.epsilon());
  }

  /** The paper's ε_cut for a split into n0 older and n1 recent values of a window of variance {@code variance}. */
  public static double epsilonCut(long n0, long n1, double variance, double delta) {
    double m = 1.0 / (1.0 / n0 + 1.0 / n1);
    double deltaPrime = delta / Math.log(n0 + n1);
    double l = Math.log(2 / deltaPrime);
    return Math.sqrt(2 / m * variance * l) + 2 / (3 * m) * l;
  }

  /** Appends one value as a new bucket of row 0, merging the two oldest of any row that overflows. */
  static void add(State s, double value) {
    if (s.rows.isEmpty()) {
      s.rows.add(new ArrayList<>());
    }
    s.rows.get(0).add(new Bucket(value, 0));
    for (int i = 0; i < s.rows.size() && s.rows.get(i).size() > BUCKETS_PER_ROW; i++) {
      List<Bucket> row = s.rows.get(i);
      Bucket older = row.remove(0);
      Bucket newer = row.remove(0);
      double size = Math.scalb(1.0, i);
      double d = (older.sum() - newer.sum()) / size;
      Bucket merged = new Bucket(older.sum() + newer.sum(), older.m2() + newer.m2() + d * d * size / 2);
      if (i + 1 == s.rows.size()) {
        s.rows.add(new ArrayList<>());
      }
      s.rows.get(i + 1).add(merged);
    }
  }

  /** Drops the oldest bucket while some split is a cut; returns the cuts, in the order found. */
  static List<Cut> shrink(State s, Options o) {
    List<Cut> cuts = new ArrayList<>();
    for (Cut c = findCut(s, o); c != null; c = findCut(s, o)) {
      cuts.add(c);
      dropOldest(s);
    }
    return cuts;
  }

  /** The first cut from the oldest split on, or null. */
  static Cut findCut(State s, Options o) {
    long n = 0;
    double total = 0;
    double mean = 0;
    double m2 = 0;
    for (int i = s.rows.size() - 1; i >= 0; i--) {
      long size = 1L << i;
      for (Bucket b : s.rows.get(i)) {
        // Chan et al.'s pairwise update: the window's variance from its buckets'
        double d = b.sum() / size - mean;
        long merged = n + size;
        mean += d * size / merged;
        m2 += b.m2() + d * d * n * size / merged;
        n = merged;
        total += b.sum();
      }
    }
    if (n < 2L * o.minWindows()) {
      return null;
    }
    double variance = m2 / n;
    long n0 = 0;
    double sum0 = 0;
    for (int i = s.rows.size() - 1; i >= 0; i--) {
      List<Bucket> row = s.rows.get(i);
      for (int k = 0; k < row.size(); k++) {
        n0 += 1L << i;
        sum0 += row.get(k).sum();
        long n1 = n - n0;
        if (n1 < o.minWindows()) {
          return null;
        }
        if (n0 < o.minWindows()) {
          continue;
        }
        double mean0 = sum0 / n0;
        double mean1 = (total - sum0) / n1;
        double epsilon = epsilonCut(n0, n1, variance, o.delta());
        if (Math.abs(mean1 - mean0) > epsilon) {
          return new Cut(n0, n1, mean0, mean1, epsilon);
        }
      }
    }
    return null;
  }

  private static void dropOldest(State s) {
    List<Bucket> top = s.rows.get(s.rows.size() - 1);
    top.remove(0);
    while (!s.rows.isEmpty() && s.rows.get(s.rows.size() - 1).isEmpty()) {
      s.rows.remove(s.rows.size() - 1);
    }
  }

  /** Values in the window. */
  public static long width(State s) {
    long n = 0;
    for (int i = 0; i < s.rows.size(); i++) {
      n += (long) s.rows.get(i).size() << i;
    }
    return n;
  }

  /** Buckets kept: at most {@link #BUCKETS_PER_ROW} per row, about log2(width / M) + 1 rows. */
  public static int buckets(State s) {
    return s.rows.stream().mapToInt(List::size).sum();
  }
}
