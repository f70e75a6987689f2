package dev.driftline.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Inputs of the benchmarks, all deterministic: a model with 20 numeric and 5 categorical features,
 * its predictions as the JSON a model server logs (core's {@link TrafficGenerator}, fixed seed),
 * the same predictions decoded, and seeded normal samples.
 */
final class BenchmarkInputs {
  static final long SEED = 20_260_101L;
  static final int NUMERIC_FEATURES = 20;
  static final int CATEGORICAL_FEATURES = 5;
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private BenchmarkInputs() {}

  /** The monitor spec of the benchmark model, parsed from YAML as a job does. */
  static MonitorSpec spec() {
    StringBuilder yaml = new StringBuilder("""
        model_id: bench-model
        task: binary_classification
        fields: {timestamp: ts, prediction_id: prediction_id, entity: entity_id, segment: segment, score: score, label: label}
        features:
        """);
    for (int i = 1; i <= NUMERIC_FEATURES; i++) {
      yaml.append(String.format("  - {name: num_%02d, type: numeric}%n", i));
    }
    for (int i = 1; i <= CATEGORICAL_FEATURES; i++) {
      yaml.append(String.format("  - {name: cat_%d, type: categorical}%n", i));
    }
    yaml.append("""
        reference: {source: previous_window}
        window: {size: 1h}
        """);
    return MonitorSpecParser.parse("benchmark monitor.yaml", yaml.toString());
  }

  static PredictionDecoder decoder(MonitorSpec spec) {
    return new PredictionDecoder(new ModelRegistry(List.of(spec)));
  }

  /** The first {@code n} predictions of a seeded run of {@code spec}'s traffic, as JSON bytes. */
  static List<byte[]> predictionJson(MonitorSpec spec, int n) {
    // 100 per second for a day bounds the run; the stream is lazy and stops after n. No labels:
    // only predictions are needed, and pending labels would fill the generator's queue.
    TrafficConfig config = TrafficConfig.of(spec, START, Duration.ofDays(1), 100, SEED)
        .withLabels(Duration.ZERO, 1.0);
    return TrafficGenerator.stream(config)
        .filter(e -> e.type() == TrafficEvent.Type.PREDICTION)
        .limit(n)
        .map(e -> e.json().getBytes(UTF_8))
        .toList();
  }

  /** The same predictions as {@link #predictionJson}, decoded. */
  static List<Prediction> predictions(MonitorSpec spec, int n) {
    PredictionDecoder decoder = decoder(spec);
    return predictionJson(spec, n).stream().map(json -> decodeOk(decoder, json)).toList();
  }

  /** Decodes {@code json} or fails: a benchmark must not time the dead-letter path by accident. */
  static Prediction decodeOk(PredictionDecoder decoder, byte[] json) {
    Decoded<Prediction> decoded = decoder.decode(json);
    if (!decoded.isOk()) {
      throw new IllegalStateException("a generated prediction does not decode: " + decoded.error());
    }
    return decoded.value();
  }

  /** {@code n} draws of N(mean, 1) from {@code seed}. */
  static double[] normal(long seed, int n, double mean) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = mean + random.nextGaussian();
    }
    return values;
  }

  static KllDoublesSketch sketch(int k, double[] values) {
    KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(k);
    for (double v : values) {
      sketch.update(v);
    }
    return sketch;
  }
}
