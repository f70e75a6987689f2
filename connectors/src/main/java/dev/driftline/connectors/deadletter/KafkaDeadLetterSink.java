package dev.driftline.connectors.deadletter;

import dev.driftline.connectors.kafka.KafkaConfig;
import dev.driftline.connectors.kafka.KafkaSinks;
import dev.driftline.core.schema.RecordSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Dead letters as JSON ({@link DeadLetterJson}) on a Kafka topic, keyed by the stage, written by
 * one idempotent producer ({@code acks=all}) per writer.
 */
public final class KafkaDeadLetterSink implements DeadLetterSink {
  private static final long serialVersionUID = 1L;

  private final KafkaConfig kafka;
  private final String topic;

  public KafkaDeadLetterSink(KafkaConfig kafka, String topic) {
    this.kafka = Objects.requireNonNull(kafka, "kafka");
    if (topic == null || !topic.matches("[a-zA-Z0-9._-]{1,249}")) {
      throw new IllegalArgumentException("dead-letter topic: expected 1-249 of [a-zA-Z0-9._-], got \"" + topic + "\"");
    }
    this.topic = topic;
  }

  public String topic() {
    return topic;
  }

  @Override
  public DeadLetterWriter open(String owner) {
    Properties p = kafka.clientProperties();
    p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "driftline-dead-letters-" + owner.replaceAll("[^a-zA-Z0-9._-]", "-"));
    return new Writer(new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()), topic);
  }

  @Override
  public String toString() {
    return "KafkaDeadLetterSink{topic=" + topic + ", " + kafka + "}";
  }

  private static final class Writer implements DeadLetterWriter {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    Writer(KafkaProducer<byte[], byte[]> producer, String topic) {
      this.producer = producer;
      this.topic = topic;
    }

    @Override
    public void write(DeadLetter d) throws IOException {
      throwIfFailed();
      producer.send(new ProducerRecord<>(topic, null, null, d.stage().getBytes(StandardCharsets.UTF_8),
          DeadLetterJson.toJson(d), KafkaSinks.headers(RecordSchema.DEAD_LETTER)),
          (metadata, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
          });
    }

    @Override
    public void flush() throws IOException {
      producer.flush();
      throwIfFailed();
    }

    private void throwIfFailed() throws IOException {
      Exception e = failure.get();
      if (e != null) {
        throw new IOException("dead-letter topic " + topic + ": write failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      producer.close(Duration.ofSeconds(10));
    }
  }
}
