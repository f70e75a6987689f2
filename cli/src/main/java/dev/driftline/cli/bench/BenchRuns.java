package dev.driftline.cli.bench;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.io.Json;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.topics.NamedTopic;
import dev.driftline.core.topics.Topic;
import dev.driftline.jobs.driftdetection.DriftDetectionJob;
import dev.driftline.jobs.driftdetection.operators.LabelledJson;
import dev.driftline.jobs.featurepipeline.FeaturePipelineJob;
import dev.driftline.runtime.deadletter.DeadLetters;
import dev.driftline.runtime.flink.NamedSink;
import dev.driftline.runtime.kafka.DecodeFunction;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSinks;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.runtime.kafka.RawRecord;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Builds each run's pipeline on the production code: the same decoders, jobs and exactly-once Kafka
 * sinks as production (Kafka only: no Elasticsearch in the benchmark). Each run has its own output
 * topics, consumer group and transactional ids. The run's main source reads through a
 * {@link LatencyProbe}.
 */
final class BenchRuns {
  private final KafkaConfig kafka;
  private final BenchTopics topics;
  private final ModelRegistry models;
  private final Map<String, Baseline> baselines;
  /** The same models with windows 10× as long: the window-growth run reads the same traffic through them. */
  private final ModelRegistry models10x;
  private final Map<String, Baseline> baselines10x;
  private final Map<String, double[][]> references;
  private final FeatureView cards;

  BenchRuns(KafkaConfig kafka, BenchTopics topics, ModelRegistry models, Map<String, Baseline> baselines,
      ModelRegistry models10x, Map<String, Baseline> baselines10x,
      Map<String, double[][]> references, FeatureView cards) {
    this.kafka = kafka;
    this.topics = topics;
    this.models = models;
    this.baselines = Map.copyOf(baselines);
    this.models10x = models10x;
    this.baselines10x = Map.copyOf(baselines10x);
    this.references = Map.copyOf(references);
    this.cards = cards;
  }

  /** The topic carrying {@code run}'s window results (with window_end and computed_at), or null. */
  String windowResults(BenchPlan.Run run) {
    return switch (run.kind()) {
      case DRIFT, DRIFT_LABELS -> topics.output(run, "drift");
      case NAIVE -> topics.output(run, "naive");
      default -> null;
    };
  }

  /** Every output topic of {@code run}, to be created before it starts. */
  List<NamedTopic> outputTopics(BenchPlan.Run run) {
    NamedTopic deadLetters = Topic.DEAD_LETTERS.named(topics.output(run, "dead-letters"));
    return switch (run.kind()) {
      case PASS_THROUGH -> List.of(Topic.PREDICTIONS.named(topics.output(run, "predictions")), deadLetters);
      case DRIFT, DRIFT_LABELS -> List.of(Topic.DRIFT_RESULTS.named(topics.output(run, "drift")),
          Topic.PERFORMANCE.named(topics.output(run, "performance")),
          Topic.LABELLED_PREDICTIONS.named(topics.output(run, "labelled")), deadLetters);
      // The naive job's KS results: drift results of another shape, kept like them.
      case NAIVE -> List.of(Topic.DRIFT_RESULTS.named(topics.output(run, "naive")), deadLetters);
      case FEATURES -> List.of(deadLetters);
    };
  }

  /** Adds {@code run}'s pipeline to {@code env}; its main source reports to the probe of {@code probeId}. */
  void build(BenchPlan.Run run, StreamExecutionEnvironment env, String probeId) {
    String group = topics.prefix() + "-" + run.slug();
    String deadLetters = topics.output(run, "dead-letters");
    switch (run.kind()) {
      case PASS_THROUGH -> passThrough(run, env, probed(topics.predictions(), group, probeId), group, deadLetters);
      case DRIFT, DRIFT_LABELS -> {
        String labels = run.kind() == BenchPlan.Kind.DRIFT ? topics.noLabels() : topics.labels();
        new DriftDetectionJob(
            probed(topics.predictions(), group, probeId),
            KafkaSources.rawBounded(kafka, List.of(labels), group),
            KafkaSources.rawBounded(kafka, List.of(topics.baselines()), group),
            driftOutputs(run, group, run.tenXWindow() ? models10x : models), run.tenXWindow() ? models10x : models,
            run.tenXWindow() ? baselines10x : baselines).build(env);
      }
      case FEATURES -> new FeaturePipelineJob(List.of(cards), v -> probed(v.topic(), group, probeId),
          new FeaturePipelineJob.Outputs(
              v -> List.of(NamedSink.of("kafka", KafkaSinks.json(kafka, v.logTopic(), RecordSchema.FEATURE_RECORD, r -> r.entity(),
                  r -> r.toJson(), DeliveryGuarantee.EXACTLY_ONCE, group + "-" + v.name()))),
              DeadLetters.kafkaSink(kafka, deadLetters))).build(env);
      case NAIVE -> new NaiveDriftJob(probed(topics.predictions(), group, probeId),
          KafkaSinks.json(kafka, topics.output(run, "naive"), null, r -> r.modelId(), r -> Json.bytes(r),
              DeliveryGuarantee.EXACTLY_ONCE, group + "-naive"),
          DeadLetters.kafkaSink(kafka, deadLetters), models, references).build(env);
      default -> throw new IllegalArgumentException("unknown run kind " + run.kind());
    }
  }

  private Source<RawRecord, ?, ?> probed(String topic, String group, String probeId) {
    return KafkaSources.rawBounded(kafka, List.of(topic), group, new LatencyProbe(probeId));
  }

  /** The ceiling: decode with the production decoder, re-encode, write exactly-once. */
  private void passThrough(BenchPlan.Run run, StreamExecutionEnvironment env, Source<RawRecord, ?, ?> source,
      String group, String deadLetters) {
    SingleOutputStreamOperator<Prediction> decoded = env
        .fromSource(source, WatermarkStrategy.noWatermarks(), "predictions")
        .process(new DecodeFunction<>("decode:predictions", new PredictionDecoder(models)))
        .returns(TypeInformation.of(Prediction.class))
        .name("decode predictions");
    decoded.sinkTo(KafkaSinks.json(kafka, topics.output(run, "predictions"), null, p -> p.predictionId(), p -> Json.bytes(p),
        DeliveryGuarantee.EXACTLY_ONCE, group + "-predictions")).name("re-encoded predictions");
    decoded.getSideOutput(DeadLetters.TAG).sinkTo(DeadLetters.kafkaSink(kafka, deadLetters)).name("dead letters");
  }

  // Lambdas, not method references: see DriftOutputs (serializable method references of one name on
  // different classes can be mixed up when deserialized).
  private DriftDetectionJob.Outputs driftOutputs(BenchPlan.Run run, String group, ModelRegistry registry) {
    return new DriftDetectionJob.Outputs(
        List.of(NamedSink.of("kafka", KafkaSinks.json(kafka, topics.output(run, "drift"), RecordSchema.DRIFT_RESULT, r -> r.modelId(),
            r -> Json.bytes(r), DeliveryGuarantee.EXACTLY_ONCE, group + "-drift"))),
        List.of(NamedSink.of("kafka", KafkaSinks.json(kafka, topics.output(run, "performance"), RecordSchema.PERFORMANCE, r -> r.modelId(),
            r -> Json.bytes(r), DeliveryGuarantee.EXACTLY_ONCE, group + "-performance"))),
        List.of(NamedSink.of("kafka", KafkaSinks.json(kafka, topics.output(run, "labelled"), RecordSchema.LABELLED_PREDICTION,
            lp -> lp.prediction().modelId(), lp -> LabelledJson.toJson(lp, registry), DeliveryGuarantee.EXACTLY_ONCE,
            group + "-labelled"))),
        DeadLetters.kafkaSink(kafka, topics.output(run, "dead-letters")));
  }
}
