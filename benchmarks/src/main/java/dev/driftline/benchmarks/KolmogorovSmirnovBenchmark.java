package dev.driftline.benchmarks;

import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.stats.KolmogorovSmirnov;
import dev.driftline.core.stats.KsResult;
import dev.driftline.core.stats.SketchKsResult;
import dev.driftline.core.window.WindowSummary;
import java.util.concurrent.TimeUnit;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The KS test of one numeric feature at window end, on each path {@code DriftEvaluator} takes.
 * Samples are normal with the same distribution (no drift, the usual case), different seeds.
 *
 * <p>A sketch caches its sorted view, which the KS walks, so a sketch used twice would time only
 * the walk, while the job tests each sketch once ({@code NumericSummary.sketch()} heapifies the
 * reference anew every time). The sketch benchmarks therefore heapify fresh sketches from their
 * serialized forms; {@link #heapifyReferenceSketch} and {@link #heapifyWindowSketch} time that part.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class KolmogorovSmirnovBenchmark extends BenchmarkDefaults {
  static final int REFERENCE_SKETCH_N = 100_000;
  static final int WINDOW_SKETCH_N = 20_000;

  /** Exact samples: a window's kept values, and references as large as a profile keeps whole. */
  double[] reference2000;
  double[] reference10000;
  double[] window2000;
  /** A reference sketch with the profiles' k, and a window sketch with the windows' k, serialized. */
  byte[] referenceSketch;
  byte[] windowSketch;

  @Setup
  public void drawSamples() {
    long seed = BenchmarkInputs.SEED;
    reference2000 = BenchmarkInputs.normal(seed + 1, 2_000, 0.0);
    reference10000 = BenchmarkInputs.normal(seed + 2, NumericSummary.EXACT_LIMIT, 0.0);
    window2000 = BenchmarkInputs.normal(seed + 3, 2_000, 0.0);
    referenceSketch = BenchmarkInputs.sketch(1_000,
        BenchmarkInputs.normal(seed + 4, REFERENCE_SKETCH_N, 0.0)).toByteArray();
    windowSketch = BenchmarkInputs.sketch(KllSketchBenchmark.K,
        BenchmarkInputs.normal(seed + 5, WINDOW_SKETCH_N, 0.0)).toByteArray();
  }

  /** Exact two-sample KS, equal sizes: the p-value has a closed form (Hodges). */
  @Benchmark
  public KsResult exact2000vs2000() {
    return KolmogorovSmirnov.twoSample(reference2000, window2000);
  }

  /** Exact two-sample KS, unequal sizes: the p-value counts lattice paths, O(n1 × band). */
  @Benchmark
  public KsResult exact10000vs2000() {
    return KolmogorovSmirnov.twoSample(reference10000, window2000);
  }

  /** A busy window: its sketch of 20,000 values against the reference sketch of 100,000. */
  @Benchmark
  public SketchKsResult sketchVsSketch() {
    return KolmogorovSmirnov.againstSketch(heapify(referenceSketch), heapify(windowSketch));
  }

  /** A quiet window: its 2,000 exact values against the reference sketch of 100,000. */
  @Benchmark
  public SketchKsResult sampleVsSketch() {
    return KolmogorovSmirnov.againstSketch(heapify(referenceSketch), window2000);
  }

  @Benchmark
  public KllDoublesSketch heapifyReferenceSketch() {
    return heapify(referenceSketch);
  }

  @Benchmark
  public KllDoublesSketch heapifyWindowSketch() {
    return heapify(windowSketch);
  }

  private static KllDoublesSketch heapify(byte[] serialized) {
    return KllDoublesSketch.heapify(Memory.wrap(serialized));
  }
}
