package dev.driftline.connectors.deadletter;

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

/** The side output every decode step writes to, and the Kafka sink of the dead-letter topic. */
public final class DeadLetters {
  public static final String DEFAULT_TOPIC = "dead-letters";
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
