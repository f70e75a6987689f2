package dev.driftline.jobs.featurepipeline;

import dev.driftline.core.features.FeatureRecord;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.runtime.deadletter.DeadLetters;
import dev.driftline.runtime.deadletter.KafkaDeadLetterSink;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.elasticsearch.ElasticsearchSink;
import dev.driftline.runtime.elasticsearch.EsOperation;
import dev.driftline.runtime.elasticsearch.IndexTemplates;
import dev.driftline.runtime.flink.NamedSink;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSinks;
import java.util.List;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The feature store's two real stores per view: the log, Kafka topic {@code features.<view>} keyed by
 * entity (every record, for point-in-time reads), and the online index {@code driftline-features-<view>},
 * one document per entity (id = entity key) written with external version = as_of millis, so an
 * older or replayed record never replaces a newer one.
 */
public final class FeatureOutputs {
  private FeatureOutputs() {}

  /** Kafka outputs' guarantee, the transactional id prefix and the dead-letter topic. */
  public record Settings(String deadLetterTopic, DeliveryGuarantee guarantee, String transactionalIdPrefix) {}

  // Lambdas, not method references (see DriftOutputs): serializable method references of the same
  // name on different classes can be mixed up when deserialized.
  public static FeaturePipelineJob.Outputs create(KafkaConfig kafka, ElasticsearchConfig es, Settings settings) {
    return new FeaturePipelineJob.Outputs(
        view -> List.<NamedSink<FeatureRecord>>of(
            NamedSink.of("kafka", KafkaSinks.json(kafka, view.logTopic(), RecordSchema.FEATURE_RECORD, r -> r.entity(), r -> r.toJson(),
                settings.guarantee(), settings.transactionalIdPrefix() + "-" + view.name())),
            NamedSink.of("elasticsearch", ElasticsearchSink.<FeatureRecord>builder()
                .setConfig(es)
                .setConverter(r -> online(r))
                .setDeadLetterSink(new KafkaDeadLetterSink(kafka, settings.deadLetterTopic()))
                .build())),
        DeadLetters.kafkaSink(kafka, settings.deadLetterTopic()));
  }

  /** The guarded write of {@code r} to the online index. */
  static EsOperation online(FeatureRecord r) {
    return EsOperation.index(FeatureView.index(r.view()), r.entity(), r.toJson()).withExternalVersion(r.asOf());
  }

  /** Installs (or updates) the index template; fails with one line when Elasticsearch is unreachable. */
  public static void installTemplate(ElasticsearchConfig es) {
    IndexTemplates.installBundled(es, "driftline-features");
  }
}
