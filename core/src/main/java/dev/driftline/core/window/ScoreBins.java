package dev.driftline.core.window;

import dev.driftline.core.io.VarLong;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The scores of one class's examples against the rest's, in {@link #BINS} equal-width bins of
 * [0, 1]: the bounded form of a ROC AUC once a window holds more than its exact pairs. Only
 * pairs of a positive and a negative in the same bin are not ordered; they count as ties, so the
 * AUC is off by at most {@link #errorBound()}. Counts only, so adding and merging commute.
 *
 * <p>Mutable and not thread-safe.
 */
final class ScoreBins {
  /** Equal-width score bins. */
  static final int BINS = 4_096;

  private final long[] positive = new long[BINS];
  private final long[] negative = new long[BINS];

  /** The bin of a score in [0, 1]; monotone, so bins order the scores. */
  static int bin(double score) {
    return Math.min(BINS - 1, Math.max(0, (int) (score * BINS)));
  }

  void add(double score, boolean actual) {
    (actual ? positive : negative)[bin(score)]++;
  }

  void merge(ScoreBins other) {
    for (int b = 0; b < BINS; b++) {
      positive[b] += other.positive[b];
      negative[b] += other.negative[b];
    }
  }

  /** Mann-Whitney over bins: a positive beats every negative of a lower bin and ties its own bin's; NaN without both kinds. */
  double auc() {
    double wins = 0;
    long negativesBelow = 0;
    long p = 0;
    for (int b = 0; b < BINS; b++) {
      wins += positive[b] * (negativesBelow + 0.5 * negative[b]);
      negativesBelow += negative[b];
      p += positive[b];
    }
    return p == 0 || negativesBelow == 0 ? Double.NaN : wins / ((double) p * negativesBelow);
  }

  /** Half the share of (positive, negative) pairs that fall in one bin: 0 without both kinds. */
  double errorBound() {
    double sameBin = 0;
    long p = 0;
    long n = 0;
    for (int b = 0; b < BINS; b++) {
      sameBin += (double) positive[b] * negative[b];
      p += positive[b];
      n += negative[b];
    }
    return p == 0 || n == 0 ? 0 : 0.5 * sameBin / ((double) p * n);
  }

  /** Sparse: the number of used bins, then each used bin's index (short) and its two counts (LEB128). */
  void write(DataOutput out) throws IOException {
    int used = 0;
    for (int b = 0; b < BINS; b++) {
      used += positive[b] + negative[b] > 0 ? 1 : 0;
    }
    out.writeInt(used);
    for (int b = 0; b < BINS; b++) {
      if (positive[b] + negative[b] > 0) {
        out.writeShort(b);
        VarLong.write(out, positive[b]);
        VarLong.write(out, negative[b]);
      }
    }
  }

  static ScoreBins read(DataInput in) throws IOException {
    ScoreBins s = new ScoreBins();
    int used = in.readInt();
    if (used < 0 || used > BINS) {
      throw new IOException("performance window with " + used + " used bins, at most " + BINS + " expected");
    }
    for (int i = 0; i < used; i++) {
      int b = in.readUnsignedShort();
      if (b >= BINS) {
        throw new IOException("performance window bin " + b + ", expected below " + BINS);
      }
      s.positive[b] = VarLong.read(in, "a performance window");
      s.negative[b] = VarLong.read(in, "a performance window");
    }
    return s;
  }
}
