package dev.driftline.core.metrics;

import dev.driftline.core.stats.ExactSum;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The count and the sums of absolute and squared errors of (prediction, actual) pairs, added one at
 * a time and mergeable: everything of {@link RegressionMetrics} in O(1) state. The sums are
 * {@link ExactSum}s, so the metrics of a set of pairs are bit-identical however they were added and
 * merged. Values are finite; an error or squared error too large for a double (beyond about
 * 1.8e308, or an error beyond about 1.3e154 when squared) makes its sum, and so the metric,
 * {@code +Infinity}, as a plain sum would. Mutable and not thread-safe.
 */
public final class RegressionSums {
  private long n;
  private ExactSum absErrorSum = new ExactSum();
  private ExactSum squaredErrorSum = new ExactSum();
  /** An absolute error overflowed (so did its square). */
  private boolean absOverflow;
  /** A squared error overflowed. */
  private boolean squaredOverflow;

  public void add(double prediction, double actual) {
    double e = prediction - actual;
    double square = e * e;
    if (Double.isInfinite(square)) {
      squaredOverflow = true;
      absOverflow |= Double.isInfinite(e);
    } else {
      squaredErrorSum.add(square);
    }
    if (Double.isFinite(e)) {
      absErrorSum.add(Math.abs(e));
    }
    n++;
  }

  /** Folds {@code other} into these sums. */
  public void merge(RegressionSums other) {
    n += other.n;
    absErrorSum.merge(other.absErrorSum);
    squaredErrorSum.merge(other.squaredErrorSum);
    absOverflow |= other.absOverflow;
    squaredOverflow |= other.squaredOverflow;
  }

  public long n() {
    return n;
  }

  /** The metrics of the pairs added so far; at least one is needed. */
  public RegressionMetrics metrics() {
    return RegressionMetrics.fromSums(n, absOverflow ? Double.POSITIVE_INFINITY : absErrorSum.value(),
        squaredOverflow ? Double.POSITIVE_INFINITY : squaredErrorSum.value());
  }

  /** The count and sums in binary form. */
  public void write(DataOutput out) throws IOException {
    out.writeLong(n);
    out.writeByte((absOverflow ? 1 : 0) | (squaredOverflow ? 2 : 0));
    absErrorSum.write(out);
    squaredErrorSum.write(out);
  }

  /** Sums written by {@link #write}. */
  public static RegressionSums read(DataInput in) throws IOException {
    RegressionSums s = new RegressionSums();
    s.n = in.readLong();
    int overflow = in.readByte();
    if (s.n < 0 || overflow < 0 || overflow > 3 || overflow == 1) {
      throw new IOException("regression sums of " + s.n + " pairs with overflow flags " + overflow);
    }
    s.absOverflow = (overflow & 1) != 0;
    s.squaredOverflow = (overflow & 2) != 0;
    s.absErrorSum = ExactSum.read(in);
    s.squaredErrorSum = ExactSum.read(in);
    return s;
  }
}
