package dev.driftline.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrendTest {
  static final double MIB = 1048576.0;

  /** A minute-by-minute run whose heap after GC is {@code heapMib(minute)} and everything else flat. */
  static List<SoakSample> samples(int minutes, java.util.function.IntToDoubleFunction heapMib) {
    List<SoakSample> out = new ArrayList<>();
    for (int m = 1; m <= minutes; m++) {
      out.add(new SoakSample(m, Math.round(heapMib.applyAsDouble(m) * MIB), 400_000L, 400_000L, 120L, 6L * m, 2_500L,
          30L * m, 150, 12_000L * m));
    }
    return out;
  }

  /** What a run that lost nothing put out: 52 results of 52, no dead letter, no restart. */
  static final SoakReport.Outcome EXACT = new SoakReport.Outcome(12_000, 10_800,
      new RunResults(new DriftComparison(52, 52, 0, 0, 0, 0, null), 0, 0, 0, 0, 12.5), 0);

  static List<Trend.Measure> measures() {
    return List.of(new Trend.Measure("heap_after_gc_mib", s -> s.heapAfterGcBytes() / MIB, 4.0),
        new Trend.Measure("state_kib", s -> s.stateBytes() == null ? null : s.stateBytes() / 1024.0, 256.0),
        new Trend.Measure("latency_s", s -> s.latencyMillis() == null ? null : s.latencyMillis() / 1000.0, null));
  }

  @Test
  void slopeIsTheLeastSquaresFitPerMinute() {
    // numpy.polyfit([1, 2, 3, 4], [10, 12, 13, 17], 1)[0] == 2.2
    assertThat(Trend.slope(List.of(new double[] {1, 10}, new double[] {2, 12}, new double[] {3, 13}, new double[] {4, 17})))
        .isCloseTo(2.2, within(1e-12));
    assertThat(Trend.slope(List.of(new double[] {1, 10}))).isNaN();
    assertThat(Trend.slope(List.of(new double[] {2, 10}, new double[] {2, 12}))).isNaN();
  }

  @Test
  void heapGrowingTenMibAMinuteExceedsItsBoundAndFailsTheRun() {
    List<SoakSample> growing = samples(10, m -> 300 + 10 * m);
    List<Trend> trends = Trend.of(growing, measures(), 0);

    assertThat(trends.get(0).slopePerMinute()).isCloseTo(10.0, within(1e-6));
    assertThat(trends.get(0).exceeded()).isTrue();
    assertThat(trends.get(1).slopePerMinute()).isCloseTo(0.0, within(1e-9));
    assertThat(trends.get(1).exceeded()).isFalse();
    assertThat(SoakCommand.problems(growing, trends, EXACT))
        .containsExactly("heap_after_gc_mib grows by 10.0 per minute, more than the bound 4");
  }

  @Test
  void aFlatRunWithNoisePassesAndWarmUpSamplesAreLeftOut() {
    // A steep first two minutes (start-up), then flat with ±1 MiB of noise.
    double[] heap = {120, 260, 301, 299, 300, 302, 298, 301, 299, 300};
    List<SoakSample> run = samples(10, m -> heap[m - 1]);

    assertThat(Trend.of(run, measures(), 0).get(0).exceeded()).as("with the start-up in the fit").isTrue();
    List<Trend> trends = Trend.of(run, measures(), 3);
    assertThat(trends.get(0).slopePerMinute()).isCloseTo(-0.0952381, within(1e-6));
    assertThat(trends).noneMatch(Trend::exceeded);
    assertThat(SoakCommand.problems(run, trends, EXACT)).isEmpty();
  }

  @Test
  void unboundedMeasuresAndMissingValuesNeverFail() {
    List<SoakSample> run = new ArrayList<>();
    for (int m = 1; m <= 5; m++) {
      run.add(new SoakSample(m, 300 * (long) MIB, null, null, null, 0, 60_000L * m, 0, 0, 1000L * m));
    }
    List<Trend> trends = Trend.of(run, measures(), 0);

    assertThat(trends.get(1).slopePerMinute()).as("no state known").isNaN();
    assertThat(trends.get(2).slopePerMinute()).isCloseTo(60.0, within(1e-9));
    assertThat(trends).noneMatch(Trend::exceeded);
    assertThat(SoakCommand.problems(run, trends, EXACT))
        .containsExactly("no checkpoint completed in 5 min", "no drift result read in 5 min");
  }
}
