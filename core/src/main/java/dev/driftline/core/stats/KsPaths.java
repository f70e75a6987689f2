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
    if (m < n) {
      int t = m;
      m = n;
      n = t;
    }
    long mg = m / g;
    long ng = n / g;
    int minj = 0;
    int maxj = (int) Math.min(ceilDiv(h, mg), n + 1L);
    int curlen = maxj - minj;
    int lenA = Math.min(2 * maxj + 2, n + 1);
    double[] a = new double[lenA];
    java.util.Arrays.fill(a, 1.0);
    for (int j = minj; j < Math.min(maxj, lenA); j++) {
      a[j] = 0.0;
    }
    for (int i = 1; i <= m; i++) {
      int lastminj = minj;
      int lastlen = curlen;
      minj = (int) Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0L);
      minj = Math.min(minj, n);
      maxj = (int) Math.min(ceilDiv(ng * i + h, mg), n + 1L);
      if (maxj <= minj) {
        return 1.0;
      }
      double val = minj == 0 ? 0.0 : 1.0;
      for (int jj = 0; jj < maxj - minj; jj++) {
        int j = jj + minj;
        val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
        a[jj] = val;
      }
      curlen = maxj - minj;
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

  private static long ceilDiv(long x, long y) {
    return -Math.floorDiv(-x, y);
  }
}
