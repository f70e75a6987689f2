package dev.driftline.benchmarks;

import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.window.WindowSummary;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The drift summary of a window: the per-record {@link WindowSummary#add} and the
 * {@link WindowSummary#merge} that combines pre-aggregated partial summaries.
 *
 * <p>{@code merge} changes its receiver, so {@link #merge} gets a fresh copy of the left summary
 * before every call, outside the timing. JMH warns that such per-invocation fixtures distort calls
 * shorter than about a millisecond by timestamping each one; these merges take 0.1 ms or more,
 * so the two timestamps (tens of ns) are well under 1%, and {@link #copyThenMerge} minus
 * {@link #copy}, which needs no such fixture, checks the figure. {@link #copy} is a serialize and
 * deserialize round trip: about what RocksDB state pays to read and write the summary once.
 */
public class WindowSummaryBenchmark extends BenchmarkDefaults {

  /** A summary that fills up over each iteration: past the exact limit for all but 2,000 adds. */
  @State(Scope.Thread)
  public static class Adding {
    static final int POOL = 4096;

    MonitorSpec spec;
    Prediction[] predictions;
    WindowSummary summary;
    private int next;

    @Setup(Level.Trial)
    public void decodePredictions() {
      spec = BenchmarkInputs.spec();
      predictions = BenchmarkInputs.predictions(spec, POOL).toArray(new Prediction[0]);
    }

    @Setup(Level.Iteration)
    public void emptySummary() {
      summary = WindowSummary.empty(spec);
    }

    Prediction next() {
      Prediction p = predictions[next];
      next = (next + 1) & (POOL - 1);
      return p;
    }
  }

  /**
   * Two summaries of {@code predictionsPerSummary} different predictions each: 500 keeps every
   * value (below {@link WindowSummary#MAX_BUCKETS}), 10,000 coarsened histograms.
   */
  @State(Scope.Thread)
  public static class Merging {
    @Param({"500", "10000"})
    public int predictionsPerSummary;

    WindowSummary left;
    WindowSummary right;

    @Setup(Level.Trial)
    public void buildSummaries() {
      MonitorSpec spec = BenchmarkInputs.spec();
      List<Prediction> predictions = BenchmarkInputs.predictions(spec, 2 * predictionsPerSummary);
      left = WindowSummary.empty(spec);
      right = WindowSummary.empty(spec);
      for (int i = 0; i < predictions.size(); i++) {
        (i < predictionsPerSummary ? left : right).add(predictions.get(i));
      }
    }
  }

  /** A fresh copy of the left summary before every call, outside the timing. */
  @State(Scope.Thread)
  public static class MergeTarget {
    WindowSummary summary;

    @Setup(Level.Invocation)
    public void copyLeft(Merging in) {
      summary = in.left.copy();
    }
  }

  @Benchmark
  public void add(Adding in) {
    in.summary.add(in.next());
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public WindowSummary merge(Merging in, MergeTarget target) {
    target.summary.merge(in.right);
    return target.summary;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public WindowSummary copyThenMerge(Merging in) {
    WindowSummary merged = in.left.copy();
    merged.merge(in.right);
    return merged;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public WindowSummary copy(Merging in) {
    return in.left.copy();
  }
}
