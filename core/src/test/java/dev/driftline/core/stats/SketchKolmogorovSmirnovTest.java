package dev.driftline.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

class SketchKolmogorovSmirnovTest {

  private static final int K = 200;
  private static final int N = 100_000;

  private static double[] normal(long seed, int n, double mean) {
    Random rnd = new Random(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = mean + rnd.nextGaussian();
    }
    return out;
  }

  private static KllDoublesSketch sketch(double[] values) {
    KllDoublesSketch s = KllDoublesSketch.newHeapInstance(K);
    for (double v : values) {
      s.update(v);
    }
    return s;
  }

  @Test
  void sketchStatisticIsWithinErrorBoundOfExactStatistic() {
    for (double shift : new double[] {0.0, 0.02, 0.1, 0.5}) {
      double[] ref = normal(1, N, 0.0);
      double[] cur = normal(2, N, shift);
      double exactD = KolmogorovSmirnov.twoSample(ref, cur).statistic();

      SketchKsResult both = KolmogorovSmirnov.againstSketch(sketch(ref), sketch(cur));
      assertThat(both.method()).isEqualTo(KsMethod.SKETCH);
      assertThat(both.nReference()).isEqualTo(N);
      assertThat(both.nCurrent()).isEqualTo(N);
      assertThat(both.statisticErrorBound())
          .isCloseTo(2 * KllDoublesSketch.newHeapInstance(K).getNormalizedRankError(false), within(1e-15));
      assertThat(Math.abs(both.statistic() - exactD)).isLessThanOrEqualTo(both.statisticErrorBound());

      SketchKsResult raw = KolmogorovSmirnov.againstSketch(sketch(ref), cur);
      assertThat(raw.statisticErrorBound()).isCloseTo(both.statisticErrorBound() / 2, within(1e-15));
      assertThat(Math.abs(raw.statistic() - exactD)).isLessThanOrEqualTo(raw.statisticErrorBound());
    }
  }

  @Test
  void identicalDistributionsGiveNoDrift() {
    SketchKsResult r = KolmogorovSmirnov.againstSketch(sketch(normal(3, N, 0.0)), sketch(normal(4, N, 0.0)));
    assertThat(r.drift(0.01)).isFalse();
    assertThat(r.conservativePValue()).isGreaterThanOrEqualTo(r.pValue());
  }

  @Test
  void shiftedMeanGivesDrift() {
    SketchKsResult r = KolmogorovSmirnov.againstSketch(sketch(normal(5, N, 0.0)), sketch(normal(6, N, 0.2)));
    assertThat(r.drift(0.01)).isTrue();
    assertThat(r.toKsResult().drift(0.01)).isTrue();
  }

  @Test
  void pValueIsAsymptoticPValueOfSketchStatistic() {
    SketchKsResult r = KolmogorovSmirnov.againstSketch(sketch(normal(7, 30_000, 0.0)), normal(8, 20_000, 0.05));
    // effective n = round(30000*20000/50000) = 12000
    assertThat(r.pValue()).isEqualTo(KolmogorovDistribution.sf(r.statistic(), 12_000));
    assertThat(r.conservativePValue())
        .isEqualTo(KolmogorovDistribution.sf(r.statistic() - r.statisticErrorBound(), 12_000));
  }

  @Test
  void smallSketchesAreExactAndMatchTwoSample() {
    // below k items a KLL sketch keeps every value, so D is the exact two-sample D
    double[] ref = {1, 2, 3};
    double[] cur = {10, 11, 12};
    SketchKsResult r = KolmogorovSmirnov.againstSketch(sketch(ref), sketch(cur));
    assertThat(r.statistic()).isEqualTo(1.0);
    assertThat(r.statistic()).isEqualTo(KolmogorovSmirnov.twoSample(ref, cur).statistic());
    // DataSketches' computeKSDelta stops its merge one step early and reports 2/3 here, which is
    // why againstSketch evaluates both sketch ECDFs itself.
    assertThat(org.apache.datasketches.quantilescommon.KolmogorovSmirnov
        .computeKSDelta(sketch(ref), sketch(cur))).isCloseTo(2.0 / 3, within(1e-12));
  }

  @Test
  void rejectsEmptySketch() {
    assertThatThrownBy(() -> KolmogorovSmirnov.againstSketch(KllDoublesSketch.newHeapInstance(K), new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reference sketch is empty: KS needs at least one value");
    assertThatThrownBy(() -> KolmogorovSmirnov.againstSketch(sketch(new double[] {1}), KllDoublesSketch.newHeapInstance(K)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("current sketch is empty: KS needs at least one value");
    assertThatThrownBy(() -> KolmogorovSmirnov.againstSketch(sketch(new double[] {1}), new double[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("current sample is empty: KS needs at least one value");
  }

  @Test
  void bucketsOfExactSamplesUpToTenThousandGiveScipysExactP() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    double[] x = new double[3000];
    double[] y = new double[4000];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextGaussian() + 0.06;
    }
    KsResult exact = KolmogorovSmirnov.twoSample(x, y);
    assertThat(exact.method()).isEqualTo(KsMethod.EXACT);
    SketchKsResult buckets = KolmogorovSmirnov.ofBuckets(NumericHistogram.exactOf(x).buckets(),
        NumericHistogram.exactOf(y).buckets(), 0);
    assertThat(buckets.statistic()).isCloseTo(exact.statistic(), within(1e-12));
    assertThat(buckets.pValue()).isEqualTo(exact.pValue());
    assertThat(buckets.pValue()).isNotEqualTo(KolmogorovDistribution.sf(exact.statistic(), 3000 * 4000 / 7000));
  }
}
