package dev.driftline.jobs.driftdetection;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.topics.Topic;
import dev.driftline.jobs.driftdetection.operators.LabelledJson;
import dev.driftline.runtime.deadletter.DeadLetters;
import dev.driftline.runtime.deadletter.KafkaDeadLetterSink;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.elasticsearch.ElasticsearchSink;
import dev.driftline.runtime.elasticsearch.EsOperation;
import dev.driftline.runtime.elasticsearch.IndexTemplates;
import dev.driftline.runtime.flink.NamedSink;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSinks;
import java.time.Instant;
import java.util.List;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The drift job's real outputs: the {@code drift-results} and {@code performance} Kafka topics,
 * the {@code driftline-drift-*} and {@code driftline-performance-*} indices (monthly, by window
 * start), the dead-letter topic and the {@code driftline-dead-letters} index.
 */
public final class DriftOutputs {
  public static final String DRIFT_INDEX_PREFIX = "driftline-drift-";
  public static final String PERFORMANCE_INDEX_PREFIX = "driftline-performance-";

  private DriftOutputs() {}

  /** Topic names and delivery guarantee, so tests can run side by side on one broker; {@link #defaults()} from the catalogue. */
  public record Topics(String drift, String performance, String labelled, String deadLetters, DeliveryGuarantee guarantee,
      String transactionalIdPrefix) {
    public static Topics defaults() {
      return new Topics(Topic.DRIFT_RESULTS.defaultName(), Topic.PERFORMANCE.defaultName(),
          Topic.LABELLED_PREDICTIONS.defaultName(), Topic.DEAD_LETTERS.defaultName(),
          DeliveryGuarantee.EXACTLY_ONCE, "driftline-drift-detection");
    }
  }

  // Lambdas, not method references: javac's deserialization of serializable method references
  // with the same name on different classes (DriftResult::modelId, PerformanceResult::modelId)
  // can hand one sink the other's function.
  public static DriftDetectionJob.Outputs create(KafkaConfig kafka, ElasticsearchConfig es, Topics topics, ModelRegistry models) {
    return new DriftDetectionJob.Outputs(
        List.of(
            NamedSink.of("kafka", KafkaSinks.json(kafka, topics.drift(), RecordSchema.DRIFT_RESULT, r -> r.modelId(), r -> Json.bytes(r),
                topics.guarantee(), topics.transactionalIdPrefix() + "-drift")),
            NamedSink.of("elasticsearch", ElasticsearchSink.<DriftResult>builder()
                .setConfig(es)
                .setConverter(r -> driftDocument(r))
                .setDeadLetterSink(new KafkaDeadLetterSink(kafka, topics.deadLetters()))
                .build())),
        List.of(
            NamedSink.of("kafka", KafkaSinks.json(kafka, topics.performance(), RecordSchema.PERFORMANCE, r -> r.modelId(),
                r -> Json.bytes(r), topics.guarantee(), topics.transactionalIdPrefix() + "-performance")),
            NamedSink.of("elasticsearch", ElasticsearchSink.<PerformanceResult>builder()
                .setConfig(es)
                .setConverter(r -> performanceDocument(r))
                .setDeadLetterSink(new KafkaDeadLetterSink(kafka, topics.deadLetters()))
                .build())),
        List.of(NamedSink.of("kafka", KafkaSinks.json(kafka, topics.labelled(), RecordSchema.LABELLED_PREDICTION,
            lp -> lp.prediction().modelId(), lp -> LabelledJson.toJson(lp, models), topics.guarantee(),
            topics.transactionalIdPrefix() + "-labelled"))),
        DeadLetters.kafkaSink(kafka, topics.deadLetters()),
        List.of(NamedSink.of("elasticsearch", DeadLetters.elasticsearchSink(es, kafka, topics.deadLetters()))));
  }

  /**
   * A drift document. A window's label drift is re-emitted with each performance update, on more
   * labels each time; versioned by that count, the newest stays whichever bulk request lands last.
   */
  static EsOperation driftDocument(DriftResult r) {
    EsOperation op = EsOperation.index(DRIFT_INDEX_PREFIX + month(r.windowStart()), r.id(), Json.bytes(r));
    return r.isLabel() ? op.withExternalVersion(r.nCurrent()) : op;
  }

  /**
   * A performance document. A window's realized updates are written in the order of their points,
   * but concurrent bulk requests may apply them out of order; versioned by the point
   * ({@code labels_until}), the newest update stays whichever request lands last.
   */
  static EsOperation performanceDocument(PerformanceResult r) {
    EsOperation op = EsOperation.index(PERFORMANCE_INDEX_PREFIX + month(r.windowStart()), r.id(), Json.bytes(r));
    return r.labelsUntil() == null ? op : op.withExternalVersion(Instant.parse(r.labelsUntil()).toEpochMilli());
  }

  /** {@code 2026.01} from an ISO-8601 instant. */
  static String month(String isoInstant) {
    return isoInstant.substring(0, 4) + "." + isoInstant.substring(5, 7);
  }

  /** Installs (or updates) the index templates; fails with one line when Elasticsearch is unreachable. */
  public static void installTemplates(ElasticsearchConfig es) {
    IndexTemplates.installBundled(es, "driftline-drift", "driftline-performance", "driftline-dead-letters");
  }
}
