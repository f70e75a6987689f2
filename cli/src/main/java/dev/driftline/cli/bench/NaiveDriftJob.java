package dev.driftline.cli.bench;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.stats.KolmogorovSmirnov;
import dev.driftline.core.stats.KsResult;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetters;
import dev.driftline.runtime.kafka.DecodeFunction;
import dev.driftline.runtime.kafka.RawRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * What a user might write instead of the drift job, as the benchmark's yardstick: decode
 * predictions, key by model, a tumbling event-time window whose {@code ProcessWindowFunction} makes
 * Flink keep every prediction of the window in list state, and at the window's end the exact
 * two-sample KS test of each numeric feature against the reference sample.
 */
final class NaiveDriftJob {
  private final Source<RawRecord, ?, ?> predictions;
  private final Sink<NaiveKsResult> results;
  private final Sink<DeadLetter> deadLetters;
  private final ModelRegistry models;
  private final HashMap<String, double[][]> references;

  /**
   * @param references per model, per spec feature the sorted reference values of numeric features
   *     (null slots for categorical ones)
   */
  NaiveDriftJob(Source<RawRecord, ?, ?> predictions, Sink<NaiveKsResult> results, Sink<DeadLetter> deadLetters,
      ModelRegistry models, Map<String, double[][]> references) {
    this.predictions = predictions;
    this.results = results;
    this.deadLetters = deadLetters;
    this.models = models;
    this.references = new HashMap<>(references);
  }

  void build(StreamExecutionEnvironment env) {
    List<MonitorSpec> specs = List.copyOf(models.all());
    MonitorSpec first = specs.get(0);
    for (MonitorSpec s : specs) {
      if (!s.window().equals(first.window()) || !s.window().size().equals(s.window().slide())) {
        throw new IllegalArgumentException("the naive job needs one tumbling window for all models");
      }
    }
    Duration size = first.window().size();
    SingleOutputStreamOperator<Prediction> decoded = env
        .fromSource(predictions, WatermarkStrategy.noWatermarks(), "predictions")
        .process(new DecodeFunction<>("decode:predictions", new PredictionDecoder(models)))
        .returns(TypeInformation.of(Prediction.class))
        .name("decode predictions");
    decoded
        .assignTimestampsAndWatermarks(WatermarkStrategy.<Prediction>forBoundedOutOfOrderness(first.window().maxOutOfOrderness())
            .withTimestampAssigner((p, t) -> p.timestamp())
            .withIdleness(first.window().idleTimeout()))
        .keyBy(p -> p.modelId())
        .window(TumblingEventTimeWindows.of(size))
        .process(new KsWindowFunction(models, references))
        .returns(TypeInformation.of(NaiveKsResult.class))
        .name("naive KS per window")
        .sinkTo(results).name("naive results");
    decoded.getSideOutput(DeadLetters.TAG).sinkTo(deadLetters).name("dead letters");
  }

  /** Collects each numeric feature's window values from the buffered predictions and tests them. */
  static final class KsWindowFunction extends ProcessWindowFunction<Prediction, NaiveKsResult, String, TimeWindow> {
    private static final long serialVersionUID = 1L;
    private final ModelRegistry models;
    private final HashMap<String, double[][]> references;

    KsWindowFunction(ModelRegistry models, HashMap<String, double[][]> references) {
      this.models = models;
      this.references = references;
    }

    @Override
    public void process(String modelId, Context ctx, Iterable<Prediction> elements, Collector<NaiveKsResult> out) {
      MonitorSpec spec = models.get(modelId);
      List<FeatureSpec> features = spec.features();
      // The spec's KS level (0.01 when it has no KS test), so drift flags compare with the drift job's.
      double alpha = spec.testsFor(FeatureType.NUMERIC).stream().filter(t -> t.test().id().equals("ks"))
          .mapToDouble(DriftTestSpec::threshold).findFirst().orElse(0.01);
      double[][] reference = references.get(modelId);
      int n = 0;
      for (Prediction ignored : elements) {
        n++;
      }
      double[][] values = new double[features.size()][];
      int[] counts = new int[features.size()];
      for (int f = 0; f < features.size(); f++) {
        if (features.get(f).type() == FeatureType.NUMERIC) {
          values[f] = new double[n];
        }
      }
      for (Prediction p : elements) {
        for (int f = 0; f < values.length; f++) {
          double v = p.numeric()[f];
          if (values[f] != null && !Double.isNaN(v)) {
            values[f][counts[f]++] = v;
          }
        }
      }
      String start = Instant.ofEpochMilli(ctx.window().getStart()).toString();
      String end = Instant.ofEpochMilli(ctx.window().getEnd()).toString();
      for (int f = 0; f < values.length; f++) {
        if (values[f] == null || counts[f] == 0) {
          continue;
        }
        KsResult ks = KolmogorovSmirnov.twoSample(reference[f], Arrays.copyOf(values[f], counts[f]));
        out.collect(new NaiveKsResult(modelId, features.get(f).name(), start, end, ks.statistic(), ks.pValue(),
            ks.method().name().toLowerCase(java.util.Locale.ROOT), ks.nReference(), ks.nCurrent(), ks.drift(alpha),
            Instant.ofEpochMilli(System.currentTimeMillis()).toString()));
      }
    }
  }
}
