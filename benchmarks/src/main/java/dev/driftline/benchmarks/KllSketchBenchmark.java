package dev.driftline.benchmarks;

import dev.driftline.core.window.WindowSummary;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One {@code KllDoublesSketch.update} with the k window sketches had before histograms ({@link #K}):
 * paid per numeric feature per record. The sketch starts empty each iteration and grows to
 * millions of values, so compactions are included at their amortized cost.
 */
@State(Scope.Thread)
public class KllSketchBenchmark extends BenchmarkDefaults {
  /** KLL k of the window sketches before deterministic histograms replaced them (kept for comparison). */
  public static final int K = 200;

  static final int POOL = 8192;

  double[] values;
  KllDoublesSketch sketch;
  private int next;

  @Setup(Level.Trial)
  public void drawValues() {
    values = BenchmarkInputs.normal(BenchmarkInputs.SEED, POOL, 0.0);
  }

  @Setup(Level.Iteration)
  public void emptySketch() {
    sketch = KllDoublesSketch.newHeapInstance(K);
  }

  @Benchmark
  public void update() {
    sketch.update(values[next]);
    next = (next + 1) & (POOL - 1);
  }
}
