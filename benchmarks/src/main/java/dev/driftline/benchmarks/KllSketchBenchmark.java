package dev.driftline.benchmarks;

import dev.driftline.core.window.WindowSummary;
import java.util.concurrent.TimeUnit;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code KllDoublesSketch.update} with the k window sketches had before histograms ({@link #K}):
 * paid per numeric feature per record. The sketch starts empty each iteration and grows to
 * millions of values, so compactions are included at their amortized cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class KllSketchBenchmark {
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
