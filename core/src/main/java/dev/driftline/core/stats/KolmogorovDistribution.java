package dev.driftline.core.stats;

/**
 * Distribution of the one-sample Kolmogorov-Smirnov statistic for a sample of size {@code n}
 * drawn from a continuous distribution.
 *
 * <p>{@link #sf(double, int)} / {@link #cdf(double, int)} are the two-sided
 * {@code D_n = sup|F_n - F|} distribution, equal to {@code scipy.stats.kstwo.sf/cdf(d, n)} to
 * about 1e-12 absolute. They follow the algorithm selection of Simard &amp; L'Ecuyer (2011) exactly
 * as scipy's {@code scipy/stats/_ksstats.py::_kolmogn} does:
 * <ul>
 *   <li>Ruben-Gambino closed forms for {@code n*d <= 1} and {@code n*d >= n-1};</li>
 *   <li>{@code 2 * smirnov(n, d)} for {@code d >= 0.5} (exact there, the two one-sided events are
 *       disjoint) and for the upper tail ({@code n*d^2} large);</li>
 *   <li>Durbin's matrix algorithm in the Marsaglia-Tsang-Wang form for small {@code n*d^2};</li>
 *   <li>Pomeranz's recursion for {@code n <= 140} and moderate {@code n*d^2};</li>
 *   <li>the Pelz-Good asymptotic series for large {@code n}.</li>
 * </ul>
 *
 * <p>{@link #oneSidedSf(double, int)} is the exact one-sided {@code P(D_n+ >= d)}
 * (= {@code scipy.special.smirnov(n, d)}), from the Birnbaum-Tingey (1951) sum, with Smirnov's
 * approximation {@code exp(-(6nd+1)^2/(18n))} above {@code n = 1e6} as cephes does.
 *
 * <p>Arguments: {@code n >= 1}; {@code d} is clamped to the support (values {@code <= 0} give
 * sf 1, values {@code >= 1} give sf 0); NaN gives NaN. Results are clipped to [0, 1].
 * Stateless and thread-safe.
 */
public final class KolmogorovDistribution {

  private static final int E128 = 128;
  private static final double EP128 = Math.scalb(1.0, E128);
  private static final double EM128 = Math.scalb(1.0, -E128);
  private static final double SQRT2PI = Math.sqrt(2 * Math.PI);
  private static final double LOG_2PI = Math.log(2 * Math.PI);
  private static final double MIN_LOG = -708;
  private static final double SQRT3 = Math.sqrt(3);
  private static final double PI_SQUARED = Math.PI * Math.PI;
  private static final double PI_FOUR = PI_SQUARED * PI_SQUARED;
  private static final double PI_SIX = PI_FOUR * PI_SQUARED;
  /** Stirling series coefficients B_{2j}/(2j)/(2j-1), j = 8..1 (highest power first). */
  private static final double[] STIRLING_COEFFS = {
      -2.955065359477124183e-2, 6.4102564102564102564e-3,
      -1.9175269175269175269e-3, 8.4175084175084175084e-4,
      -5.952380952380952381e-4, 7.9365079365079365079e-4,
      -2.7777777777777777778e-3, 8.3333333333333333333e-2};

  /** cephes: above this n the one-sided distribution uses Smirnov's approximation. */
  private static final int SMIRNOV_MAX_COMPUTE_N = 1_000_000;
  /** cephes MINLOG = log(2^-1022): below this exp() underflows to a subnormal/zero. */
  private static final double CEPHES_MINLOG = -7.08396418532264106224E2;

  private KolmogorovDistribution() {}

  /** Two-sided survival function {@code P(D_n >= d)} ({@code scipy.stats.kstwo.sf(d, n)}). */
  public static double sf(double d, int n) {
    return kolmogn(checkN(n), d, false);
  }

  /** Two-sided CDF {@code P(D_n <= d)} ({@code scipy.stats.kstwo.cdf(d, n)}). */
  public static double cdf(double d, int n) {
    return kolmogn(checkN(n), d, true);
  }

  /**
   * One-sided survival function {@code P(D_n+ >= d)} ({@code scipy.special.smirnov(n, d)}).
   * Unlike the two-sided functions, {@code d} outside [0, 1] is rejected, as in scipy (NaN there).
   */
  public static double oneSidedSf(double d, int n) {
    checkN(n);
    if (Double.isNaN(d)) {
      return Double.NaN;
    }
    if (d < 0 || d > 1) {
      throw new IllegalArgumentException("one-sided KS statistic must be in [0, 1], got " + d);
    }
    return smirnovSf(n, d);
  }

  private static int checkN(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("KS sample size n must be >= 1, got " + n);
    }
    return n;
  }

  private static double clip(double p) {
    return Math.min(1.0, Math.max(0.0, p));
  }

  private static double select(double cdfProb, double sfProb, boolean cdf) {
    return clip(cdf ? cdfProb : sfProb);
  }

  // ------------------------------------------------------------------ two-sided: branch selection

  private static double kolmogn(int n, double x, boolean cdf) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x >= 1.0) {
      return select(1.0, 0.0, cdf);
    }
    if (x <= 0.0) {
      return select(0.0, 1.0, cdf);
    }
    double t = n * x;
    if (t <= 1.0) { // Ruben-Gambino: 1/2n <= x <= 1/n
      if (t <= 0.5) {
        return select(0.0, 1.0, cdf);
      }
      double prob;
      if (n <= 140) {
        prob = 1.0;
        double inv = 1.0 / n;
        for (int i = 1; i <= n; i++) {
          prob *= i * inv * (2 * t - 1);
        }
      } else {
        prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
      }
      return select(prob, 1.0 - prob, cdf);
    }
    if (t >= n - 1) { // Ruben-Gambino
      double prob = 2 * Math.pow(1.0 - x, n);
      return select(1 - prob, prob, cdf);
    }
    if (x >= 0.5) { // the one-sided events are disjoint: exactly 2 * smirnov
      double prob = 2 * smirnovSf(n, x);
      return select(1.0 - prob, prob, cdf);
    }
    double nxSquared = t * x;
    if (n <= 140) {
      if (nxSquared <= 0.754693) {
        double prob = durbinMtwCdf(n, x);
        return select(prob, 1.0 - prob, cdf);
      }
      if (nxSquared <= 4) {
        double prob = pomeranzCdf(n, x);
        return select(prob, 1.0 - prob, cdf);
      }
      double prob = 2 * smirnovSf(n, x);
      return select(1.0 - prob, prob, cdf);
    }
    // CDF and SF have different cut-offs on n*x^2 (precision of the small one matters).
    if (!cdf) {
      if (nxSquared >= 370.0) {
        return 0.0;
      }
      if (nxSquared >= 2.2) {
        return clip(2 * smirnovSf(n, x));
      }
    }
    double cdfProb;
    if (nxSquared >= 18.0) {
      cdfProb = 1.0;
    } else if (n <= 100000 && n * Math.pow(x, 1.5) <= 1.4) {
      cdfProb = durbinMtwCdf(n, x);
    } else {
      cdfProb = pelzGoodCdf(n, x);
    }
    return select(cdfProb, 1.0 - cdfProb, cdf);
  }

  /** log(n! / n^n) by Stirling's series with the n*log(n) removed up-front (no cancellation). */
  private static double logNFactorialDivNPowN(int n) {
    double rn = 1.0 / n;
    double poly = 0.0;
    double u = rn / n;
    for (double c : STIRLING_COEFFS) {
      poly = poly * u + c;
    }
    return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
  }

  // ------------------------------------------------------------------ Durbin / Marsaglia-Tsang-Wang

  /**
   * P(D_n <= d) by Durbin's (1968) matrix method as organised by Marsaglia, Tsang &amp; Wang (2003):
   * with d = (k - h)/n, the answer is n!/n^n times entry (k,k) of H^n for an explicit
   * (2k-1)x(2k-1) matrix H; powers are scaled by 2^128 to stay in range.
   */
  private static double durbinMtwCdf(int n, double d) {
    if (d >= 1.0) {
      return 1.0;
    }
    double nd = n * d;
    if (nd <= 0.5) {
      return 0.0;
    }
    int k = (int) Math.ceil(nd);
    double h = k - nd;
    int m = 2 * k - 1;

    double[] v = new double[m];
    double[] w = new double[m];
    double fac = 1.0;
    for (int j = 1; j <= m; j++) {
      v[j - 1] = 1.0 - Math.pow(h, j);
      w[j - 1] = fac;
      fac /= j;
      v[j - 1] *= fac;
    }
    double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
    v[m - 1] = (1.0 + tt) * fac;

    double[][] hm = new double[m][m];
    for (int i = 1; i < m; i++) {
      for (int r = i - 1; r < m; r++) {
        hm[r][i] = w[r - (i - 1)];
      }
    }
    for (int r = 0; r < m; r++) {
      hm[r][0] = v[r];
    }
    for (int c = 0; c < m; c++) {
      hm[m - 1][c] = v[m - 1 - c];
    }

    double[][] hpwr = new double[m][m];
    for (int i = 0; i < m; i++) {
      hpwr[i][i] = 1.0;
    }
    int nn = n;
    int expnt = 0;
    int hExpnt = 0;
    while (nn > 0) {
      if (nn % 2 == 1) {
        hpwr = multiply(hpwr, hm);
        expnt += hExpnt;
      }
      hm = multiply(hm, hm);
      hExpnt *= 2;
      if (Math.abs(hm[k - 1][k - 1]) > EP128) {
        scale(hm, EM128);
        hExpnt += E128;
      }
      nn /= 2;
    }

    double p = hpwr[k - 1][k - 1];
    for (int i = 1; i <= n; i++) {
      p = i * p / n;
      if (Math.abs(p) < EM128) {
        p *= EP128;
        expnt -= E128;
      }
    }
    if (expnt != 0) {
      p = Math.scalb(p, expnt);
    }
    return clip(p);
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int m = a.length;
    double[][] c = new double[m][m];
    for (int i = 0; i < m; i++) {
      double[] ci = c[i];
      for (int l = 0; l < m; l++) {
        double ail = a[i][l];
        if (ail == 0.0) {
          continue;
        }
        double[] bl = b[l];
        for (int j = 0; j < m; j++) {
          ci[j] += ail * bl[j];
        }
      }
    }
    return c;
  }

  private static void scale(double[][] a, double factor) {
    for (double[] row : a) {
      for (int j = 0; j < row.length; j++) {
        row[j] *= factor;
      }
    }
  }

  // ------------------------------------------------------------------ Pomeranz

  /** P(D_n <= x) by Pomeranz's (1974) recursion; only two rows and their non-zero band are kept. */
  private static double pomeranzCdf(int n, double x) {
    double t = n * x;
    int ll = (int) Math.floor(t);
    double f = t - ll;
    double g = Math.min(f, 1.0 - f);
    int ceilf = f > 0 ? 1 : 0;
    int roundf = f > 0.5 ? 1 : 0;
    int npwrs = 2 * (ll + 1);
    // (g/n)^m/m!, (2g/n)^m/m!, ((1-2g)/n)^m/m!: Poisson probabilities without the normaliser
    double[] gpower = new double[npwrs];
    double[] twogpower = new double[npwrs];
    double[] onem2gpower = new double[npwrs];
    gpower[0] = 1.0;
    twogpower[0] = 1.0;
    onem2gpower[0] = 1.0;
    int expnt = 0;
    double gOverN = g / n;
    double twoGOverN = 2 * g / n;
    double oneMinusTwoGOverN = (1 - 2 * g) / n;
    for (int m = 1; m < npwrs; m++) {
      gpower[m] = gpower[m - 1] * gOverN / m;
      twogpower[m] = twogpower[m - 1] * twoGOverN / m;
      onem2gpower[m] = onem2gpower[m - 1] * oneMinusTwoGOverN / m;
    }

    double[] v0 = new double[npwrs];
    double[] v1 = new double[npwrs];
    v1[0] = 1;
    int v0s = 0;
    int v1s = 0;
    int[] jj = pomeranzJ1J2(0, n, ll, ceilf, roundf);
    int j1 = jj[0];
    for (int i = 1; i < 2 * n + 2; i++) {
      int k1 = j1;
      double[] tmp = v0;
      v0 = v1;
      v1 = tmp;
      int tmps = v0s;
      v0s = v1s;
      v1s = tmps;
      java.util.Arrays.fill(v1, 0.0);
      jj = pomeranzJ1J2(i, n, ll, ceilf, roundf);
      j1 = jj[0];
      int j2 = jj[1];
      double[] pwrs = (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 == 1 ? twogpower : onem2gpower);
      int ln2 = j2 - k1 + 1;
      if (ln2 > 0) {
        int aStart = k1 - v0s;
        int aLen = Math.min(ln2, npwrs - aStart);
        int bLen = Math.min(ln2, npwrs);
        int convStart = j1 - k1;
        int convLen = j2 - j1 + 1;
        int fullLen = aLen + bLen - 1;
        double max = 0.0;
        for (int c = convStart; c < convStart + convLen && c < fullLen; c++) {
          double s = 0.0;
          int lo = Math.max(0, c - (bLen - 1));
          int hi = Math.min(c, aLen - 1);
          for (int a = lo; a <= hi; a++) {
            s += v0[aStart + a] * pwrs[c - a];
          }
          v1[c - convStart] = s;
          max = Math.max(max, s);
        }
        if (0 < max && max < EM128) {
          for (int c = 0; c < npwrs; c++) {
            v1[c] *= EP128;
          }
          expnt -= E128;
        }
        v1s = v0s + j1 - k1;
      }
    }

    double ans = v1[n - v1s];
    for (int m = 1; m <= n; m++) {
      if (Math.abs(ans) > EP128) {
        ans *= EM128;
        expnt += E128;
      }
      ans *= m;
    }
    if (expnt != 0) {
      ans = Math.scalb(ans, expnt);
    }
    return clip(ans);
  }

  /** Band [j1, j2] of non-zero entries of Pomeranz row i. */
  private static int[] pomeranzJ1J2(int i, int n, int ll, int ceilf, int roundf) {
    int j1;
    int j2;
    if (i == 0) {
      j1 = -ll - ceilf - 1;
      j2 = ll + ceilf - 1;
    } else {
      int ip1div2 = (i + 1) / 2;
      int ip1mod2 = (i + 1) % 2;
      if (ip1mod2 == 0) {
        if (ip1div2 == n + 1) {
          j1 = n - ll - ceilf - 1;
          j2 = n + ll + ceilf - 1;
        } else {
          j1 = ip1div2 - 1 - ll - roundf - 1;
          j2 = ip1div2 + ll - 1 + ceilf - 1;
        }
      } else {
        j1 = ip1div2 - 1 - ll - 1;
        j2 = ip1div2 + ll + roundf - 1;
      }
    }
    return new int[] {Math.max(j1 + 2, 0), Math.min(j2, n)};
  }

  // ------------------------------------------------------------------ Pelz-Good

  /**
   * Pelz-Good (1976) approximation to P(D_n <= x): the Li-Chien/Korolyuk expansion
   * K0 + K1/sqrt(n) + K2/n + K3/n^1.5 in z = x*sqrt(n), each term rewritten with Jacobi theta
   * identities so that it converges quickly for small z.
   */
  private static double pelzGoodCdf(int n, double x) {
    if (x <= 0.0) {
      return 0.0;
    }
    if (x >= 1.0) {
      return 1.0;
    }
    double z = Math.sqrt(n) * x;
    double zsquared = z * z;
    double zthree = zsquared * z;
    double zfour = zsquared * zsquared;
    double zsix = zfour * zsquared;

    double qlog = -PI_SQUARED / 8 / zsquared;
    if (qlog < MIN_LOG) {
      return 0.0;
    }
    double q = Math.exp(qlog);

    double k1a = -zsquared;
    double k1b = PI_SQUARED / 4;
    double k2a = 6 * zsix + 2 * zfour;
    double k2b = (2 * zfour - 5 * zsquared) * PI_SQUARED / 4;
    double k2c = PI_FOUR * (1 - 2 * zsquared) / 16;
    double k3d = PI_SIX * (5 - 30 * zsquared) / 64;
    double k3c = PI_FOUR * (-60 * zsquared + 212 * zfour) / 16;
    double k3b = PI_SQUARED * (135 * zfour - 96 * zsix) / 4;
    double k3a = -30 * zsix - 90 * Math.pow(z, 8);

    double[] kk = new double[4];
    // Horner scheme for sum c_i q^(i^2) over odd i = 2k-1
    int maxk = (int) Math.ceil(16 * z / Math.PI);
    for (int k = maxk; k > 0; k--) {
      double m = 2 * k - 1;
      double msquared = m * m;
      double mfour = msquared * msquared;
      double msix = mfour * msquared;
      double qpower = Math.pow(q, 8 * k);
      kk[0] = kk[0] * qpower + 1.0;
      kk[1] = kk[1] * qpower + (k1a + k1b * msquared);
      kk[2] = kk[2] * qpower + (k2a + k2b * msquared + k2c * mfour);
      kk[3] = kk[3] * qpower + (k3a + k3b * msquared + k3c * mfour + k3d * msix);
    }
    double[] denom = {z, 6 * zfour, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
    for (int i = 0; i < 4; i++) {
      kk[i] = kk[i] * q * SQRT2PI / denom[i];
    }

    // remaining sums over all integers k for K2 and K3
    double q2 = Math.exp(-PI_SQUARED / 2 / zsquared);
    double sqrt3z = SQRT3 * z;
    double k2extra = 0.0;
    double k3extra = 0.0;
    for (int k = maxk; k > 0; k--) {
      double ksq = (double) k * k;
      double kspi = Math.PI * k;
      double qpw = Math.pow(q2, ksq);
      k2extra += ksq * qpw;
      k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksq * qpw;
    }
    kk[2] += k2extra * (PI_SQUARED * SQRT2PI / (-36 * zthree));
    kk[3] += k3extra * (PI_SQUARED * SQRT2PI / (216 * zsix));
    double sqrtN = Math.sqrt((double) n);
    return kk[0] + kk[1] / sqrtN + kk[2] / n + kk[3] / (n * sqrtN);
  }

  // ------------------------------------------------------------------ one-sided (Smirnov)

  /**
   * P(D_n+ >= x) = x * sum_{v=0}^{floor(n(1-x))} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
   * (Birnbaum &amp; Tingey 1951). All terms are positive, so the sum is evaluated term by term in
   * log space (binomial kept as mantissa and binary exponent so it never overflows), with
   * {@code n*x} split exactly into floor and fraction (via fma) so the bases {@code 1-x-v/n} are
   * accurate even when they are tiny. Special cases mirror cephes {@code _smirnov}.
   */
  private static double smirnovSf(int n, double x) {
    if (n == 1) {
      return clip(1 - x);
    }
    if (x == 0.0) {
      return 1.0;
    }
    if (x == 1.0) {
      return 0.0;
    }
    // exact n*x = nxHi + nxLo
    double nxHi = n * x;
    double nxLo = Math.fma(n, x, -nxHi);
    double flHi = Math.floor(nxHi);
    double alpha = (nxHi - flHi) + nxLo;
    long nxfl = (long) flHi;
    if (alpha < 0) {
      nxfl -= 1;
      alpha += 1;
    }
    if (alpha >= 1) {
      nxfl += 1;
      alpha = 0;
    }
    long n1mxfl = n - nxfl - (alpha == 0 ? 0 : 1);
    if (alpha == 0) {
      n1mxfl -= 1;
    }

    if (nxfl == 0 || (nxfl == 1 && alpha == 0)) { // x <= 1/n
      double cdf = x * Math.pow(1 + x, n - 1);
      return clip(1 - cdf);
    }
    if (-2 * n * x * x < CEPHES_MINLOG) {
      return 0.0;
    }
    if (nxfl >= n - 1) { // x >= 1 - 1/n
      return clip(Math.pow(1 - x, n));
    }
    if (n > SMIRNOV_MAX_COMPUTE_N) {
      double logp = -Math.pow(6.0 * n * x + 1, 2) / 18.0 / n;
      return clip(logp < -Math.log(2) ? Math.exp(logp) : 1 - (-Math.expm1(logp)));
    }

    int nTerms = (int) (n1mxfl + 1);
    int vmid = n / 2;
    double ln2 = Math.log(2);
    // v = 0 term: (1 - x)^n / x
    double sum = Math.exp(n * Math.log1p(-x)) / x;
    // C(n, v) = cMan * 2^cExp, cMan in [0.5, 1)
    double cMan = 1.0;
    long cExp = 0;
    for (int v = 1; v < nTerms; v++) {
      cMan *= (double) (n - v + 1) / v;
      int e = Math.getExponent(cMan) + 1;
      cMan = Math.scalb(cMan, -e);
      cExp += e;
      double t2x = ((double) (n - v - nxfl) - alpha) / n; // 1 - x - v/n
      double t1x = ((double) (v + nxfl) + alpha) / n;     // x + v/n
      double logTerm = Math.log(cMan) + cExp * ln2 + (n - v) * Math.log(t2x) + (v - 1) * Math.log(t1x);
      double term = Math.exp(logTerm);
      sum += term;
      if (term != 0.0) {
        if (4.0 * (nTerms - v) * term < Math.ulp(1.0) * sum && v != nTerms - 1) {
          break;
        }
      } else if (v > vmid) {
        break;
      }
    }
    return clip(x * sum);
  }
}
