package dev.driftline.core.stats;

/**
 * Exact null distribution of the two-sided two-sample Kolmogorov-Smirnov statistic by lattice-path
 * counting (Drion / Gnedenko / Korolyuk, in the treatment of Hodges 1958, "The significance
 * probability of the Smirnov two-sample test", Arkiv for Matematik 3(43)).
 *
 * <p>Under H0 every ordering of the pooled sample is equally likely: a monotone lattice path from
 * (0, 0) to (m, n). {@code D >= h/lcm(m, n)} iff the path touches one of the lines
 * {@code |x/m - y/n| = h/lcm}. Both methods here return that proportion of paths, matching
 * scipy's {@code _compute_prob_outside_square} and {@code _compute_outer_prob_inside_method}.
 * Package-private; stateless.
 */
final class KsPaths {

  private KsPaths() {}

  /**
   * m == n: Pr(D_{n,n} >= h/n) = 2 * sum_k (-1)^(k-1) C(2n, n-kh) / C(2n, n) (Hodges eq. 2.3).
   * Each ratio C(2n, n-kh)/C(2n, n) is a product of h simple factors and the alternating sum is
   * evaluated Horner-style, 2*A1*(1 - A2/A1*(1 - ...)), to avoid subtractive cancellation.
   */
  static double probOutsideSquare(int n, int h) {
    double p = 0.0;
    int k = n / h;
    while (k >= 0) {
      double p1 = 1.0;
      for (int j = 0; j < h; j++) {
        p1 = ((double) n - (double) k * h - j) * p1 / ((double) n + (double) k * h + j + 1);
      }
      p = p1 * (1.0 - p);
      k--;
    }
    return 2 * p;
  }

  /**
   * m != n: proportion of paths that do NOT stay strictly inside |n*x - m*y| / g < h, by Hodges'
   * "inside" recursion A(x, y) = A(x-1, y) + A(x, y-1), rewritten as Viehmann (2021,
   * arXiv:2102.08037) does so that it carries the normalised complement 1 - p directly: each entry
   * is a probability in [0, 1] (no overflow, no final division by C(m+n, n), no cancellation
   * for small p). Only the band of y values inside the lines for the current column is stored.
   *
   * @param g gcd(m, n)
   * @param h 1 <= h <= lcm(m, n); the statistic is h / lcm(m, n)
   */
  static double outerProbInside(int m, int n, int g, long h) {
    return outerProbInside(m, n, g, h, true);
  }

  /**
   * @param jumps whether runs of columns that share one band may be crossed in one step
   *     ({@link #jump}); false walks every column, as scipy does (the tests compare the two)
   */
  static double outerProbInside(int m, int n, int g, long h, boolean jumps) {
    if (m < n) {
      int t = m;
      m = n;
      n = t;
    }
    long mg = m / g;
    long ng = n / g;
    boolean mayJump = jumps && jumpsStayInRange(m, n);
    int minj = 0;
    int maxj = (int) Math.min(ceilDiv(h, mg), n + 1L);
    int curlen = maxj - minj;
    int lenA = Math.min(2 * maxj + 2, n + 1);
    double[] a = new double[lenA];
    java.util.Arrays.fill(a, 1.0);
    for (int j = minj; j < Math.min(maxj, lenA); j++) {
      a[j] = 0.0;
    }
    int walkUntil = 0; // columns up to here are walked one by one: their run is too short to jump
    for (int i = 1; i <= m; i++) {
      int lastminj = minj;
      int lastlen = curlen;
      minj = lowestRow(i, ng, mg, h, n);
      maxj = (int) Math.min(ceilDiv(ng * i + h, mg), n + 1L);
      if (maxj <= minj) {
        return 1.0;
      }
      curlen = maxj - minj;
      if (mayJump && i > walkUntil && minj == lastminj && curlen == lastlen) {
        int end = lastColumnOfBand(i, m, ng, mg, h, n, minj, maxj);
        if (end - i + 1 > curlen) {
          jump(a, minj, curlen, i - 1, end - i + 1);
          i = end;
          continue;
        }
        walkUntil = end;
      }
      double val = minj == 0 ? 0.0 : 1.0;
      for (int jj = 0; jj < maxj - minj; jj++) {
        int j = jj + minj;
        val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
        a[jj] = val;
      }
      if (lastlen > curlen) {
        // entries that slid out of the band are paths that already left it
        int from = maxj - minj;
        int to = Math.min(from + (lastlen - curlen), lenA);
        for (int j = from; j < to; j++) {
          a[j] = 1.0;
        }
      }
    }
    return a[maxj - minj - 1];
  }

  private static int lowestRow(long i, long ng, long mg, long h, int n) {
    return (int) Math.min(Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0L), n);
  }

  /** The last column from {@code i} on whose band is still [minj, maxj): both ends only rise with the column. */
  private static int lastColumnOfBand(int i, int m, long ng, long mg, long h, int n, int minj, int maxj) {
    int lo = i;
    int hi = m;
    while (lo < hi) {
      int mid = (int) (((long) lo + hi + 1) >>> 1);
      boolean same = lowestRow(mid, ng, mg, h, n) == minj && Math.min(ceilDiv(ng * mid + h, mg), n + 1L) == maxj;
      if (same) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /**
   * Whether every weight {@link #jump} forms is a normal double: each is at least
   * 1 / C(m + n, n), so that must stay above 1e-300.
   */
  private static boolean jumpsStayInRange(int m, int n) {
    double logPaths = 0.0;
    for (int t = 1; t <= n; t++) {
      logPaths += Math.log((m + (double) t) / t);
    }
    return logPaths < 690.0;
  }

  /**
   * Crosses r columns that share the band of rows [minj, minj + len) in one step. Within such a run
   * each column of the unnormalised inside counts is the running sum of the one before, so r columns
   * are the convolution {@code A(s + r, j) = sum over k <= j of C(r − 1 + j − k, j − k) A(s, k)}.
   * On the normalised probabilities of staying inside, {@code 1 − a}, the weight of row k for row j
   * is {@code C(r − 1 + j − k, j − k) C(s + k, k) / C(s + r + j, j)}: the probability that a random
   * path to (s + r, j) leaves column s at row k. That costs O(len²) instead of O(r × len).
   *
   * @param a the outside probabilities of column s, rows minj.., replaced by those of column s + r
   */
  private static void jump(double[] a, int minj, int len, int s, int r) {
    double[] inside = new double[len];
    for (int kk = 0; kk < len; kk++) {
      inside[kk] = 1.0 - a[kk];
    }
    double[] byDistance = new double[len]; // C(r − 1 + d, d) / C(r − 2 + d, d − 1)
    double[] byRow = new double[len]; // C(s + r + j − 1, j − 1) / C(s + r + j, j)
    for (int d = 1; d < len; d++) {
      byDistance[d] = (r - 1.0 + d) / d;
    }
    for (int jj = 0; jj < len; jj++) {
      int j = minj + jj;
      byRow[jj] = j / ((double) s + r + j);
    }
    double diagonal = 1.0; // C(s + k, k) / C(s + r + k, k)
    for (int t = 1; t <= minj; t++) {
      diagonal *= ((double) s + t) / ((double) s + r + t);
    }
    double[] out = new double[len];
    for (int kk = 0; kk < len; kk++) {
      int k = minj + kk;
      if (kk > 0) {
        diagonal *= ((double) s + k) / ((double) s + r + k);
      }
      double p = inside[kk];
      if (p == 0.0) {
        continue;
      }
      double w = diagonal;
      out[kk] += w * p;
      for (int jj = kk + 1; jj < len; jj++) {
        w *= byDistance[jj - kk] * byRow[jj];
        out[jj] += w * p;
      }
    }
    for (int jj = 0; jj < len; jj++) {
      // a sum of probabilities can round a hair above 1; the walk's weighted means never leave [0, 1]
      a[jj] = Math.max(0.0, 1.0 - out[jj]);
    }
  }

  private static long ceilDiv(long x, long y) {
    return -Math.floorDiv(-x, y);
  }
}
