package dev.driftline.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.stats.KsMethod;
import dev.driftline.core.window.WindowSummary;
import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' inputs are what their names claim, and every benchmark method runs once on them
 * (no JMH here): a change in core that breaks a benchmark fails the build, not a later run.
 */
class BenchmarkInputsTest {

  @Test
  void specHasTwentyNumericAndFiveCategoricalFeatures() {
    MonitorSpec spec = BenchmarkInputs.spec();
    assertThat(spec.features()).filteredOn(f -> f.type() == FeatureType.NUMERIC).hasSize(20);
    assertThat(spec.features()).filteredOn(f -> f.type() == FeatureType.CATEGORICAL).hasSize(5);
  }

  @Test
  void everyPooledRecordDecodesWithAllFeatures() {
    PredictionDecodeBenchmark b = new PredictionDecodeBenchmark();
    b.setUp();
    assertThat(Arrays.stream(b.json).map(json -> new String(json, UTF_8)).distinct().count())
        .isEqualTo(PredictionDecodeBenchmark.POOL);
    for (int i = 0; i < PredictionDecodeBenchmark.POOL; i++) {
      assertThat(b.decode().value().categorical()).filteredOn(c -> c != null).hasSize(5);
    }
  }

  @Test
  void mergedSummariesStraddleTheExactLimit() {
    WindowSummaryBenchmark b = new WindowSummaryBenchmark();
    for (int n : new int[] {500, 10_000}) {
      WindowSummaryBenchmark.Merging in = new WindowSummaryBenchmark.Merging();
      in.predictionsPerSummary = n;
      in.buildSummaries();
      WindowSummary merged = b.copyThenMerge(in);
      assertThat(merged.count()).isEqualTo(2L * n);
      WindowSummaryBenchmark.MergeTarget target = new WindowSummaryBenchmark.MergeTarget();
      target.copyLeft(in);
      assertThat(b.merge(in, target).count()).isEqualTo(2L * n);
      assertThat(b.copy(in).count()).isEqualTo(n);
      assertThat(in.left.count()).isEqualTo(n);
      assertThat(merged.numeric(0).isExact()).isEqualTo(2 * n <= WindowSummary.MAX_BUCKETS);
      assertThat(in.left.numeric(0).isExact()).isEqualTo(n <= WindowSummary.MAX_BUCKETS);
    }
  }

  @Test
  void addAndUpdateGrowTheirState() {
    WindowSummaryBenchmark.Adding adding = new WindowSummaryBenchmark.Adding();
    adding.decodePredictions();
    adding.emptySummary();
    new WindowSummaryBenchmark().add(adding);
    assertThat(adding.summary.count()).isEqualTo(1);

    KllSketchBenchmark kll = new KllSketchBenchmark();
    kll.drawValues();
    kll.emptySketch();
    kll.update();
    assertThat(kll.sketch.getN()).isEqualTo(1);
    assertThat(kll.sketch.getK()).isEqualTo(KllSketchBenchmark.K);
  }

  @Test
  void ksBenchmarksTakeTheirIntendedPaths() {
    KolmogorovSmirnovBenchmark b = new KolmogorovSmirnovBenchmark();
    b.drawSamples();
    KllDoublesSketch reference = KllDoublesSketch.heapify(Memory.wrap(b.referenceSketch));
    KllDoublesSketch window = KllDoublesSketch.heapify(Memory.wrap(b.windowSketch));
    assertThat(reference.getN()).isEqualTo(100_000);
    assertThat(window.getN()).isEqualTo(20_000);
    assertThat(reference.isEstimationMode()).isTrue();
    assertThat(window.isEstimationMode()).isTrue();

    assertThat(b.exact2000vs2000().method()).isEqualTo(KsMethod.EXACT);
    assertThat(b.exact10000vs2000().method()).isEqualTo(KsMethod.EXACT);
    assertThat(b.sketchVsSketch().nCurrent()).isEqualTo(20_000L);
    assertThat(b.sampleVsSketch().nCurrent()).isEqualTo(2_000L);
  }
}
