package dev.driftline.connectors.deadletter;

import dev.driftline.connectors.elasticsearch.ElasticsearchConfig;
import dev.driftline.connectors.elasticsearch.ElasticsearchSink;
import dev.driftline.connectors.elasticsearch.EsOperation;
import dev.driftline.connectors.kafka.KafkaConfig;
import dev.driftline.connectors.kafka.KafkaSinks;
import dev.driftline.core.schema.RecordSchema;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The side output every decode step writes to, the Kafka sink of the dead-letter topic and the dead-letter index's sink. */
public final class DeadLetters {
  public static final OutputTag<DeadLetter> TAG =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

  private DeadLetters() {}

  /** At-least-once: a dead letter is evidence, and a duplicate of evidence harms nobody. */
  public static KafkaSink<DeadLetter> kafkaSink(KafkaConfig config, String topic) {
    return KafkaSink.<DeadLetter>builder()
        .setBootstrapServers(config.bootstrapServers())
        .setKafkaProducerConfig(config.clientProperties())
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .setRecordSerializer(new Serializer(topic))
        .build();
  }

  /**
   * The {@code driftline-dead-letters} index (template {@code driftline-dead-letters}), which the
   * dashboard's dead-letter chart reads. A record's dead letter is indexed under its source
   * position ({@code stage|topic|partition|offset}), so a replay overwrites it; one without a
   * position (a duplicate, a late record) under its stage, key, record time and failure time. A dead letter the
   * index refuses goes to {@code deadLetterTopic} with Elasticsearch's reason, never back here.
   */
  public static ElasticsearchSink<DeadLetter> elasticsearchSink(ElasticsearchConfig es, KafkaConfig kafka,
      String deadLetterTopic) {
    return ElasticsearchSink.<DeadLetter>builder()
        .setConfig(es)
        .setConverter(d -> EsOperation.index(INDEX, documentId(d), DeadLetterJson.toJson(d)))
        .setDeadLetterSink(new KafkaDeadLetterSink(kafka, deadLetterTopic))
        .build();
  }

  /** The index of dead letters. */
  public static final String INDEX = "driftline-dead-letters";

  static String documentId(DeadLetter d) {
    return d.offset() >= 0
        ? String.join("|", d.stage(), String.valueOf(d.topic()), String.valueOf(d.partition()), String.valueOf(d.offset()))
        : String.join("|", d.stage(), d.key() == null ? "" : new String(d.key(), StandardCharsets.UTF_8),
            String.valueOf(d.recordTimestamp()), String.valueOf(d.failedAt()));
  }

  private static final class Serializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    Serializer(String topic) {
      this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
      return new ProducerRecord<>(topic, null, d.failedAt(), d.stage().getBytes(StandardCharsets.UTF_8),
          DeadLetterJson.toJson(d), KafkaSinks.headers(RecordSchema.DEAD_LETTER));
    }
  }
}
