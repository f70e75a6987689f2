package dev.driftline.jobs.retraintrigger;

import dev.driftline.core.io.Json;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.trigger.Alert;
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
 * The trigger job's real outputs: {@code retrain-triggers} (Kafka transactions tied to
 * checkpoints: exactly once for read_committed consumers), {@code alerts} and the
 * {@code driftline-alerts} index.
 */
public final class TriggerOutputs {
  public static final String ALERT_INDEX = "driftline-alerts";

  private TriggerOutputs() {}

  public record Topics(String triggers, String alerts, String deadLetters, String transactionalIdPrefix) {}

  // Explicit lambdas: see DriftOutputs on serializable method references.
  public static RetrainTriggerJob.Outputs create(KafkaConfig kafka, ElasticsearchConfig es, Topics topics) {
    return new RetrainTriggerJob.Outputs(
        List.of(NamedSink.of("kafka", KafkaSinks.json(kafka, topics.triggers(), RecordSchema.RETRAIN_TRIGGER, t -> t.modelId(),
            t -> Json.bytes(t), DeliveryGuarantee.EXACTLY_ONCE, topics.transactionalIdPrefix() + "-triggers"))),
        List.of(
            NamedSink.of("kafka", KafkaSinks.json(kafka, topics.alerts(), RecordSchema.ALERT, a -> a.modelId(), a -> Json.bytes(a),
                DeliveryGuarantee.EXACTLY_ONCE, topics.transactionalIdPrefix() + "-alerts")),
            NamedSink.of("elasticsearch", ElasticsearchSink.<Alert>builder()
                .setConfig(es)
                .setConverter(a -> EsOperation.index(ALERT_INDEX, a.alertId(), Json.bytes(a)))
                .setDeadLetterSink(new KafkaDeadLetterSink(kafka, topics.deadLetters()))
                .build())),
        DeadLetters.kafkaSink(kafka, topics.deadLetters()));
  }

  public static void installTemplates(ElasticsearchConfig es) {
    IndexTemplates.installBundled(es, "driftline-alerts");
  }
}
