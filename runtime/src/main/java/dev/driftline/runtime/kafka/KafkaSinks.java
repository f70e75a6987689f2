package dev.driftline.runtime.kafka;

import dev.driftline.core.schema.RecordSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** Kafka sinks for the jobs' JSON outputs. */
public final class KafkaSinks {
  /** Kept below the broker's transaction.max.timeout.ms default (15 min). */
  private static final String TRANSACTION_TIMEOUT_MS = "900000";

  private KafkaSinks() {}

  /**
   * A sink writing {@code json(value)} keyed by {@code key(value)} to {@code topic}, each record
   * with the header {@value RecordSchema#HEADER} naming {@code schema} (e.g. {@code drift-result/1}).
   *
   * @param schema the records' published schema; null only for records of none (a benchmark's
   *     re-encoded internals, a test's own type), which then carry no header
   * @param transactionalIdPrefix required for {@link DeliveryGuarantee#EXACTLY_ONCE} (unique per
   *     job and sink: two jobs sharing one fence each other off); ignored otherwise
   */
  public static <T> KafkaSink<T> json(KafkaConfig config, String topic, RecordSchema schema, SerializableFunction<T, String> key,
      SerializableFunction<T, byte[]> json, DeliveryGuarantee guarantee, String transactionalIdPrefix) {
    var builder = KafkaSink.<T>builder()
        .setBootstrapServers(config.bootstrapServers())
        .setKafkaProducerConfig(config.clientProperties())
        .setDeliveryGuarantee(guarantee)
        .setRecordSerializer(new JsonSerializer<>(topic, schema, key, json));
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
        throw new IllegalArgumentException("Kafka sink to " + topic + ": exactly-once needs a transactional id prefix");
      }
      builder.setTransactionalIdPrefix(transactionalIdPrefix)
          .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
    }
    return builder.build();
  }

  /** The schema header of a record of {@code schema}: none when null. */
  public static List<Header> headers(RecordSchema schema) {
    return schema == null ? List.of() : List.of(new RecordHeader(RecordSchema.HEADER, schema.headerBytes()));
  }

  private static final class JsonSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private final RecordSchema schema;
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, byte[]> json;

    JsonSerializer(String topic, RecordSchema schema, SerializableFunction<T, String> key,
        SerializableFunction<T, byte[]> json) {
      this.topic = topic;
      this.schema = schema;
      this.key = key;
      this.json = json;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T value, KafkaSinkContext context, Long timestamp) {
      String k = key.apply(value);
      // The record's time is when it was written, not the event time (which is in the JSON): a
      // replay of last month's events must not be deleted at once by time-based retention.
      return new ProducerRecord<>(topic, null, null,
          k == null ? null : k.getBytes(StandardCharsets.UTF_8), json.apply(value), headers(schema));
    }
  }
}
