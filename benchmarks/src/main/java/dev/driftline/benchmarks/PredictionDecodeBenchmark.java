package dev.driftline.benchmarks;

import dev.driftline.core.events.Prediction;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.spec.MonitorSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding and validating one prediction record (about 640 bytes of JSON, 20 numeric and 5
 * categorical features): the first thing every job does with every record.
 */
@State(Scope.Thread)
public class PredictionDecodeBenchmark extends BenchmarkDefaults {
  /** Distinct records, cycled through, so the JIT cannot specialize on one input. */
  static final int POOL = 1024;

  PredictionDecoder decoder;
  byte[][] json;
  private int next;

  @Setup
  public void setUp() {
    MonitorSpec spec = BenchmarkInputs.spec();
    decoder = BenchmarkInputs.decoder(spec);
    json = BenchmarkInputs.predictionJson(spec, POOL).toArray(new byte[0][]);
    for (byte[] record : json) {
      BenchmarkInputs.decodeOk(decoder, record);
    }
  }

  @Benchmark
  public Decoded<Prediction> decode() {
    byte[] record = json[next];
    next = (next + 1) & (POOL - 1);
    return decoder.decode(record);
  }
}
