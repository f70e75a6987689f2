package dev.driftline.core.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.methods.PsiDriftTest;
import dev.driftline.core.stats.NumericHistogram;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Integer-valued features against their own profile (no drift): 200 seeded windows of 600 values
 * and of 50,000 (past the old 2,000-value limit, where the window used to be a KLL sketch; an
 * integer feature's histogram stays exact at any size), PSI's 99th percentile well below the 0.1
 * warning level. Measured (seeds as below): age p99 0.038 at 600, 0.0005 at 50,000 (0.0068 with
 * the old sketch at 5,000); count p99 0.017 at 600, 0.0005 at 50,000 (0.0022 with the sketch).
 */
class IntegerPsiTest {
  /** Age 18–90: round(N(40, 12²)) clipped. */
  static final ToDoubleFunction<SplittableRandom> AGE =
      r -> Math.max(18, Math.min(90, Math.round(40 + 12 * r.nextGaussian())));
  /** A count 0–5: Poisson(1.2) capped at 5. */
  static final ToDoubleFunction<SplittableRandom> COUNT = r -> {
    int k = 0;
    double p = Math.exp(-1.2);
    double cdf = p;
    double u = r.nextDouble();
    while (u > cdf && k < 5) {
      k++;
      p *= 1.2 / k;
      cdf += p;
    }
    return k;
  };

  static double[] draw(ToDoubleFunction<SplittableRandom> f, SplittableRandom r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = f.applyAsDouble(r);
    }
    return v;
  }

  /** Sorted PSI of {@code windows} no-drift windows of {@code size} against a 72,000-row profile. */
  static double[] noDriftPsi(ToDoubleFunction<SplittableRandom> f, int windows, int size, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    NumericSummary profile = BaselineBuilder.summarize(draw(f, r, 72_000), new int[] {10});
    double[] out = new double[windows];
    for (int w = 0; w < windows; w++) {
      NumericHistogram window = new NumericHistogram(2_048);
      for (double v : draw(f, r, size)) {
        window.add(v);
      }
      out[w] = PsiDriftTest.INSTANCE.numeric("x", profile, 72_000, new NumericSample(window.buckets()),
          PsiDriftTest.INSTANCE.defaults()).statistic();
    }
    Arrays.sort(out);
    return out;
  }

  @Test
  void ageAgainstItsOwnProfileStaysFarBelowTheWarningLevel() {
    double[] small = noDriftPsi(AGE, 200, 600, 1);
    assertThat(small[197]).isLessThan(0.05);   // measured 0.038
    assertThat(small[100]).isLessThan(0.02);   // measured 0.014; bias about (bins - 1) / n = 0.015
    double[] large = noDriftPsi(AGE, 200, 50_000, 2);
    assertThat(large[197]).isLessThan(0.002);
  }

  @Test
  void countZeroToFiveStaysFarBelowTheWarningLevel() {
    // Ties merge the quantile edges to 0, 1, 2, 3: the rare 4s and 5s share the top bin with the 3s
    // (one bin per value measured worse: p99 0.041 at 600, 0.27 at 100, from the 0.8 % of 5s).
    NumericSummary profile = BaselineBuilder.summarize(draw(COUNT, new SplittableRandom(3), 72_000), new int[] {10});
    assertThat(profile.binsFor(10).edges()).containsExactly(0, 1, 2, 3);
    double[] small = noDriftPsi(COUNT, 200, 600, 4);
    assertThat(small[197]).isLessThan(0.03);
    double[] large = noDriftPsi(COUNT, 200, 50_000, 5);
    assertThat(large[197]).isLessThan(0.002);
  }
}
