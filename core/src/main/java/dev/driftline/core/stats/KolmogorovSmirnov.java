package dev.driftline.core.stats;

import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;

/**
 * Two-sided two-sample Kolmogorov-Smirnov test.
 *
 * <p>{@link #twoSample(double[], double[])} reproduces {@code scipy.stats.ks_2samp(reference,
 * current, method='auto')} (scipy 1.17) to within 1e-9 on both D and p:
 * <ul>
 *   <li>D = max over the pooled values v of |#{ref <= v}/n1 - #{cur <= v}/n2| (ties handled by
 *       evaluating both ECDFs at every pooled value);</li>
 *   <li>if max(n1, n2) <= 10000 the p-value is exact ({@link KsPaths}); D is then reported rounded
 *       to h/lcm(n1, n2), as scipy does; should the exact computation not yield a probability, it
 *       falls back to the asymptotic one like scipy;</li>
 *   <li>otherwise p = {@link KolmogorovDistribution#sf kstwo.sf}(D, round(n1*n2/(n1+n2))).</li>
 * </ul>
 * The {@link KsMethod} in the result says which was used.
 *
 * <p>The {@code againstSketch} methods are the streaming variant on KLL sketches; see
 * {@link SketchKsResult} for what their numbers mean.
 *
 * <p>Inputs are never modified. Samples must be non-empty and finite; violations raise
 * {@link IllegalArgumentException} naming the sample and index. Stateless and thread-safe.
 */
public final class KolmogorovSmirnov {

  /** scipy's MAX_AUTO_N: 'auto' tries the exact distribution when both sizes are at most this. */
  public static final int MAX_EXACT_AUTO_N = 10_000;

  private KolmogorovSmirnov() {}

  /** Two-sided KS test choosing the p-value method as scipy's {@code method='auto'}. */
  public static KsResult twoSample(double[] reference, double[] current) {
    return twoSample(reference, current, null);
  }

  /**
   * Two-sided KS test with a forced p-value method, as scipy's {@code method='exact'|'asymp'}.
   * {@code EXACT} still falls back to {@code ASYMPTOTIC} when lcm(n1, n2) does not fit in a 32-bit
   * int or the exact computation fails (scipy warns and does the same); the result reports it.
   *
   * @param method {@link KsMethod#EXACT} or {@link KsMethod#ASYMPTOTIC}
   */
  public static KsResult twoSample(double[] reference, double[] current, KsMethod method) {
    if (method == KsMethod.SKETCH) {
      throw new IllegalArgumentException("method SKETCH needs sketches: use againstSketch(...)");
    }
    double[] x = sortedCopy(reference, "reference");
    double[] y = sortedCopy(current, "current");
    int n1 = x.length;
    int n2 = y.length;
    double d = ecdfDistance(x, y);
    return finish(d, n1, n2, method);
  }

  /**
   * The exact test on two exact samples given as value counts ({@link NumericHistogram.Buckets} at
   * shift 0): the same D and p as {@link #twoSample(double[], double[])} on the expanded values.
   */
  public static KsResult twoSample(NumericHistogram.Buckets reference, NumericHistogram.Buckets current) {
    if (!reference.isExact() || !current.isExact()) {
      throw new IllegalArgumentException("exact KS needs exact samples; use ofBuckets for coarsened ones");
    }
    requireNonEmpty(reference, "reference");
    requireNonEmpty(current, "current");
    double d = bucketWalk(reference, current)[0];
    return finish(d, Math.toIntExact(reference.n()), Math.toIntExact(current.n()), null);
  }

  /**
   * KS between a reference and a current sample of which at least one is coarsened (shift > 0) or
   * the reference is a legacy sketch. Both are brought to the coarser shift (by summing counts, no
   * estimate), then D is read at every bucket edge, where both CDFs are known exactly:
   * {@code statistic} is a lower bound of the D of the full samples, and that D is at most
   * {@code statistic + max over buckets of min(reference share, current share)} (within a bucket
   * the difference of the CDFs can grow by no more than the smaller of the two masses in it).
   * The p-value is taken at {@code statistic − referenceRankError}, so it is never below the p-value
   * of the full samples' D: coarsening can cost power, never false alarms. With both sizes at most
   * {@link #MAX_EXACT_AUTO_N} (and no sketch) it is the exact p of that D, as scipy's {@code auto}
   * would compute it; beyond, the asymptotic one.
   *
   * @param referenceRankError the additive CDF error of a legacy KLL reference; 0 for exact or
   *     histogram references
   */
  public static SketchKsResult ofBuckets(NumericHistogram.Buckets reference, NumericHistogram.Buckets current,
      double referenceRankError) {
    requireNonEmpty(reference, "reference");
    requireNonEmpty(current, "current");
    int shift = Math.max(reference.shift(), current.shift());
    double[] walk = bucketWalk(reference.atShift(shift), current.atShift(shift));
    double d = walk[0];
    double bucketBound = shift == 0 ? 0.0 : walk[1];
    int en = effectiveN(reference.n(), current.n());
    double p;
    if (referenceRankError == 0 && Math.max(reference.n(), current.n()) <= MAX_EXACT_AUTO_N) {
      // D is read where both CDFs are exact, so it lies on the lattice of the exact distribution:
      // the asymptotic formula there leaves out the atom at D and was above alpha in calibration.
      p = finish(d, Math.toIntExact(reference.n()), Math.toIntExact(current.n()), null).pValue();
    } else {
      p = clip(KolmogorovDistribution.sf(d, en));
    }
    double conservative = referenceRankError == 0 ? p
        : clip(KolmogorovDistribution.sf(Math.max(0.0, d - referenceRankError), en));
    KsMethod method = shift == 0 ? KsMethod.SKETCH : KsMethod.HISTOGRAM;
    return new SketchKsResult(d, p, method, reference.n(), current.n(), referenceRankError + bucketBound,
        conservative);
  }

  private static KsResult finish(double d, int n1, int n2, KsMethod method) {

    int g = gcd(n1, n2);
    long n1g = n1 / g;
    long n2g = n2 / g;
    KsMethod mode;
    if (method == null) {
      mode = Math.max(n1, n2) <= MAX_EXACT_AUTO_N ? KsMethod.EXACT : KsMethod.ASYMPTOTIC;
    } else if (method == KsMethod.EXACT && n1g >= Integer.MAX_VALUE / (double) n2g) {
      mode = KsMethod.ASYMPTOTIC;
    } else {
      mode = method;
    }

    double p = Double.NaN;
    if (mode == KsMethod.EXACT) {
      long lcm = n1g * n2;
      long h = (long) Math.rint(d * lcm);
      d = (double) h / lcm;
      p = h == 0 ? 1.0 : exactP(n1, n2, g, h);
      if (!(p >= 0 && p <= 1)) {
        mode = KsMethod.ASYMPTOTIC;
      }
    }
    if (mode == KsMethod.ASYMPTOTIC) {
      p = KolmogorovDistribution.sf(d, effectiveN(n1, n2));
    }
    return new KsResult(d, clip(p), mode, n1, n2);
  }

  /** Exact p-values worth remembering: their lattice paths take this many steps or more. */
  private static final long REMEMBER_EXACT_P_FROM = 50_000;
  private static final int EXACT_P_ENTRIES = 1 << 18;
  private static final Map<ExactKey, Double> EXACT_P = new ConcurrentHashMap<>();

  private record ExactKey(int n1, int n2, long h) {}

  /**
   * The exact p of D = h / lcm(n1, n2). Remembered when costly: every window of every key tests
   * its few values against the same large reference, so the same (sizes, D) come again and again,
   * and a path count against a reference of 10,000 values takes milliseconds.
   */
  private static double exactP(int n1, int n2, int g, long h) {
    if ((long) n1 * n2 < REMEMBER_EXACT_P_FROM) {
      return n1 == n2 ? KsPaths.probOutsideSquare(n1, (int) h) : KsPaths.outerProbInside(n1, n2, g, h);
    }
    ExactKey key = new ExactKey(n1, n2, h);
    Double known = EXACT_P.get(key);
    if (known != null) {
      return known;
    }
    double p = n1 == n2 ? KsPaths.probOutsideSquare(n1, (int) h) : KsPaths.outerProbInside(n1, n2, g, h);
    if (EXACT_P.size() >= EXACT_P_ENTRIES) {
      EXACT_P.clear();
    }
    EXACT_P.put(key, p);
    return p;
  }

  /**
   * KS between a reference sketch and a current-window sketch. D is evaluated exactly between the
   * two sketches' empirical CDFs (at every retained item of either); error bound is the sum of both
   * sketches' normalized rank errors.
   *
   * <p>DataSketches' {@code quantilescommon.KolmogorovSmirnov.computeKSDelta} is deliberately not
   * used: its merge stops as soon as either sorted view reaches its last item and compares ranks at
   * different items, so it under-reports D (e.g. {1,2,3} vs {10,11,12} gives 2/3 instead of 1);
   * see SketchKolmogorovSmirnovTest#smallSketchesAreExactAndMatchTwoSample.
   */
  public static SketchKsResult againstSketch(KllDoublesSketch reference, KllDoublesSketch current) {
    requireNonEmpty(reference, "reference");
    requireNonEmpty(current, "current");
    DoublesSortedView r = reference.getSortedView();
    DoublesSortedView c = current.getSortedView();
    double d = stepDistance(r.getQuantiles(), r.getCumulativeWeights(), reference.getN(),
        c.getQuantiles(), c.getCumulativeWeights(), current.getN());
    double bound = reference.getNormalizedRankError(false) + current.getNormalizedRankError(false);
    return sketchResult(d, reference.getN(), current.getN(), bound);
  }

  /**
   * KS between a reference sketch and a raw current sample (kept exact): the error bound is the
   * reference sketch's normalized rank error alone.
   */
  public static SketchKsResult againstSketch(KllDoublesSketch reference, double[] current) {
    requireNonEmpty(reference, "reference");
    double[] y = sortedCopy(current, "current");
    long[] cum = new long[y.length];
    int distinct = 0;
    for (int i = 0; i < y.length; i++) {
      if (distinct > 0 && y[distinct - 1] == y[i]) {
        cum[distinct - 1] = i + 1;
      } else {
        y[distinct] = y[i];
        cum[distinct] = i + 1;
        distinct++;
      }
    }
    DoublesSortedView r = reference.getSortedView();
    double d = stepDistance(r.getQuantiles(), r.getCumulativeWeights(), reference.getN(),
        Arrays.copyOf(y, distinct), Arrays.copyOf(cum, distinct), current.length);
    return sketchResult(d, reference.getN(), current.length, reference.getNormalizedRankError(false));
  }

  // ------------------------------------------------------------------ internals

  private static SketchKsResult sketchResult(double d, long nRef, long nCur, double bound) {
    int en = effectiveN(nRef, nCur);
    double p = clip(KolmogorovDistribution.sf(d, en));
    double conservative = clip(KolmogorovDistribution.sf(Math.max(0.0, d - bound), en));
    return new SketchKsResult(d, p, KsMethod.SKETCH, nRef, nCur, bound, conservative);
  }

  /** round(m*n/(m+n)) with scipy's ordering and round-half-even; at least 1. */
  private static int effectiveN(long n1, long n2) {
    double m = Math.max(n1, n2);
    double n = Math.min(n1, n2);
    double en = Math.rint(m * n / (m + n));
    return (int) Math.max(1.0, Math.min(en, Integer.MAX_VALUE));
  }

  /**
   * sup |F(v) - G(v)| over all jump points v of two right-continuous step CDFs given as sorted
   * distinct-or-not points with inclusive cumulative weights. The sup of the difference of two
   * step functions is attained at a jump of one of them.
   */
  private static double stepDistance(double[] p, long[] pCum, long pN, double[] q, long[] qCum, long qN) {
    double np = pN;
    double nq = qN;
    int i = 0;
    int j = 0;
    long fp = 0;
    long fq = 0;
    double d = 0.0;
    while (i < p.length || j < q.length) {
      double v;
      if (j >= q.length || (i < p.length && p[i] <= q[j])) {
        v = p[i];
      } else {
        v = q[j];
      }
      while (i < p.length && p[i] <= v) {
        fp = pCum[i++];
      }
      while (j < q.length && q[j] <= v) {
        fq = qCum[j++];
      }
      d = Math.max(d, Math.abs(fp / np - fq / nq));
    }
    return Math.min(d, 1.0);
  }

  /**
   * Walks two bucket lists at the same shift in key order: {D after each bucket, max over buckets of
   * the smaller of the two shares in it}. At shift 0 the first is exactly the ECDF distance of the
   * values (the same floating-point expression as {@link #ecdfDistance}).
   */
  private static double[] bucketWalk(NumericHistogram.Buckets a, NumericHistogram.Buckets b) {
    if (a.keys().length >= SPARSE_WALK_RATIO * (long) b.keys().length) {
      return sparseWalk(a, b, false);
    }
    if (b.keys().length >= SPARSE_WALK_RATIO * (long) a.keys().length) {
      return sparseWalk(b, a, true);
    }
    return fullWalk(a, b);
  }

  /** A sample with this many times fewer buckets than the other is walked by {@link #sparseWalk}. */
  private static final int SPARSE_WALK_RATIO = 16;

  /** Running counts of a large sample's buckets, while its counts array is in use (references are). */
  private static final Map<long[], long[]> CUMULATIVE = new WeakHashMap<>();

  private static long[] cumulative(long[] counts) {
    synchronized (CUMULATIVE) {
      long[] c = CUMULATIVE.get(counts);
      if (c == null) {
        c = new long[counts.length];
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
          sum += counts[i];
          c[i] = sum;
        }
        CUMULATIVE.put(counts, c);
      }
      return c;
    }
  }

  /**
   * The same two numbers as {@link #fullWalk}, in O(small × log large) rather than O(large + small):
   * between two buckets of the small sample its CDF is constant while the large one's rises, so the
   * largest difference there is at the first or the last bucket of the large sample in between;
   * those, and the small sample's own buckets, are found by binary search in running counts. Each
   * candidate is the same floating-point expression at the same counts as in the full walk.
   *
   * @param swapped true when {@code large} is the walk's second sample (the bound and D are symmetric)
   */
  private static double[] sparseWalk(NumericHistogram.Buckets large, NumericHistogram.Buckets small, boolean swapped) {
    long[] lk = large.keys();
    long[] lc = large.counts();
    long[] cum = cumulative(lc);
    long[] sk = small.keys();
    long[] sc = small.counts();
    double nl = large.n();
    double ns = small.n();
    double d = 0.0;
    double bound = 0.0;
    long cs = 0;
    int from = 0; // first bucket of the large sample after the previous key of the small one
    for (int j = 0; j <= sk.length; j++) {
      int to = j < sk.length ? Arrays.binarySearch(lk, from, lk.length, sk[j]) : -(lk.length + 1);
      boolean shared = to >= 0;
      int before = shared ? to : -to - 1; // large-sample buckets in [from, before) lie strictly between
      if (before > from) {
        d = Math.max(d, difference(cum[from], nl, cs, ns, swapped));
        d = Math.max(d, difference(cum[before - 1], nl, cs, ns, swapped));
      }
      if (j == sk.length) {
        break;
      }
      cs += sc[j];
      long cl = shared ? cum[to] : before == 0 ? 0 : cum[before - 1];
      d = Math.max(d, difference(cl, nl, cs, ns, swapped));
      if (shared) {
        bound = Math.max(bound, swapped ? Math.min(sc[j] / ns, lc[to] / nl) : Math.min(lc[to] / nl, sc[j] / ns));
      }
      from = shared ? to + 1 : before;
    }
    return new double[] {Math.min(d, 1.0), bound};
  }

  /** {@code |ca / na − cb / nb|} with the walk's first sample first, as {@link #fullWalk} computes it. */
  private static double difference(long cl, double nl, long cs, double ns, boolean swapped) {
    return swapped ? Math.abs(cs / ns - cl / nl) : Math.abs(cl / nl - cs / ns);
  }

  private static double[] fullWalk(NumericHistogram.Buckets a, NumericHistogram.Buckets b) {
    long[] ak = a.keys();
    long[] bk = b.keys();
    double na = a.n();
    double nb = b.n();
    int i = 0;
    int j = 0;
    long ca = 0;
    long cb = 0;
    double d = 0.0;
    double bound = 0.0;
    while (i < ak.length || j < bk.length) {
      long key = j >= bk.length || (i < ak.length && ak[i] <= bk[j]) ? ak[i] : bk[j];
      long inA = 0;
      long inB = 0;
      if (i < ak.length && ak[i] == key) {
        inA = a.counts()[i++];
      }
      if (j < bk.length && bk[j] == key) {
        inB = b.counts()[j++];
      }
      ca += inA;
      cb += inB;
      d = Math.max(d, Math.abs(ca / na - cb / nb));
      bound = Math.max(bound, Math.min(inA / na, inB / nb));
    }
    return new double[] {Math.min(d, 1.0), bound};
  }

  private static void requireNonEmpty(NumericHistogram.Buckets sample, String name) {
    if (sample == null) {
      throw new IllegalArgumentException(name + " sample is null");
    }
    if (sample.n() == 0) {
      throw new IllegalArgumentException(name + " sample is empty: KS needs at least one value");
    }
  }

  /** D for sorted raw samples: both ECDFs at every pooled value (searchsorted side='right'). */
  private static double ecdfDistance(double[] x, double[] y) {
    int n1 = x.length;
    int n2 = y.length;
    int i = 0;
    int j = 0;
    double d = 0.0;
    while (i < n1 || j < n2) {
      double v = (j >= n2 || (i < n1 && x[i] <= y[j])) ? x[i] : y[j];
      while (i < n1 && x[i] <= v) {
        i++;
      }
      while (j < n2 && y[j] <= v) {
        j++;
      }
      // same floating-point expression as scipy: cdf1 - cdf2 with cdfs divided first
      d = Math.max(d, Math.abs((double) i / n1 - (double) j / n2));
    }
    return Math.min(d, 1.0);
  }

  private static double[] sortedCopy(double[] sample, String name) {
    if (sample == null) {
      throw new IllegalArgumentException(name + " sample is null");
    }
    if (sample.length == 0) {
      throw new IllegalArgumentException(name + " sample is empty: KS needs at least one value");
    }
    for (int i = 0; i < sample.length; i++) {
      if (!Double.isFinite(sample[i])) {
        throw new IllegalArgumentException(
            name + "[" + i + "]: expected a finite number, got " + sample[i]);
      }
    }
    double[] copy = sample.clone();
    Arrays.sort(copy);
    return copy;
  }

  private static void requireNonEmpty(KllDoublesSketch sketch, String name) {
    if (sketch == null) {
      throw new IllegalArgumentException(name + " sketch is null");
    }
    if (sketch.isEmpty()) {
      throw new IllegalArgumentException(name + " sketch is empty: KS needs at least one value");
    }
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  private static double clip(double p) {
    return Math.min(1.0, Math.max(0.0, p));
  }
}
