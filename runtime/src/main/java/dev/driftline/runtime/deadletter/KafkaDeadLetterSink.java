package dev.driftline.runtime.deadletter;

import dev.driftline.core.schema.RecordSchema;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSinks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead letters as JSON ({@link DeadLetterJson}) on a Kafka topic, keyed by the stage, written by
 * one idempotent producer ({@code acks=all}) per writer, at least once: a Flink sink (flushed at
 * every checkpoint) and the {@link DeadLetterSink} the Elasticsearch sink sends refused documents to.
 *
 * <p>One bad record must never stop a job, so a dead letter always fits its topic: each writer
 * reads the topic's limit when it opens ({@link DeadLetterLimit}) and bounds every document to it.
 * Should the broker still refuse one as too large (its limit lowered while the job runs, say), a
 * replacement of at most {@value #REPLACEMENT_BYTES} bytes, whose reason says what happened, is
 * written instead; only a replacement that fails too fails the writer.
 */
public final class KafkaDeadLetterSink implements DeadLetterSink, Sink<DeadLetter> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetterSink.class);
  /** The size of a dead letter written in place of one the broker refused. */
  static final int REPLACEMENT_BYTES = 4096;

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
  public Writer open(String owner) {
    Properties p = kafka.clientProperties();
    p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "driftline-dead-letters-" + owner.replaceAll("[^a-zA-Z0-9._-]", "-"));
    int recordLimit;
    try (Admin admin = Admin.create(DeadLetterLimit.adminProperties(kafka))) {
      recordLimit = DeadLetterLimit.read(admin, topic, p);
    }
    int documentLimit = DeadLetterLimit.documentBytes(recordLimit);
    LOG.info("{}: dead letters to {} in at most {} bytes each (record limit {})", owner, topic, documentLimit, recordLimit);
    return new Writer(new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()), topic, documentLimit);
  }

  @Override
  public SinkWriter<DeadLetter> createWriter(WriterInitContext context) {
    Writer writer = open("dead-letter-sink " + (context.getTaskInfo().getIndexOfThisSubtask() + 1) + "/"
        + context.getTaskInfo().getNumberOfParallelSubtasks());
    return new SinkWriter<>() {
      @Override
      public void write(DeadLetter d, Context c) throws IOException {
        writer.write(d);
      }

      /** Every checkpoint waits here until the dead letters written before it are on the topic. */
      @Override
      public void flush(boolean endOfInput) throws IOException {
        writer.flush();
      }

      @Override
      public void close() {
        writer.close();
      }
    };
  }

  @Override
  public String toString() {
    return "KafkaDeadLetterSink{topic=" + topic + ", " + kafka + "}";
  }

  /** One parallel instance's producer; {@link #write} is safe from any thread. */
  public static final class Writer implements DeadLetterWriter {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int documentLimit;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    /** Replacements of refused dead letters, sent by the writing thread, not the producer's callback. */
    private final Queue<DeadLetter> replacements = new ConcurrentLinkedQueue<>();

    Writer(KafkaProducer<byte[], byte[]> producer, String topic, int documentLimit) {
      this.producer = producer;
      this.topic = topic;
      this.documentLimit = documentLimit;
    }

    /** The largest JSON document this writer sends. */
    public int documentLimit() {
      return documentLimit;
    }

    @Override
    public void write(DeadLetter d) throws IOException {
      throwIfFailed();
      sendReplacements();
      send(d, DeadLetterJson.toJson(d, documentLimit), true);
    }

    private void send(DeadLetter d, byte[] json, boolean replaceIfRefused) {
      List<Header> headers = KafkaSinks.headers(RecordSchema.DEAD_LETTER);
      producer.send(new ProducerRecord<>(topic, null, null, d.stage().getBytes(StandardCharsets.UTF_8), json, headers),
          (metadata, e) -> {
            if (e == null) {
              return;
            }
            if (replaceIfRefused && refusesThisRecord(e)) {
              replacements.add(replacement(d, json.length, e));
            } else {
              failure.compareAndSet(null, e);
            }
          });
    }

    /** Whether {@code e} refuses this one record (too large, invalid) rather than saying the topic cannot be written. */
    static boolean refusesThisRecord(Exception e) {
      return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
          || e instanceof InvalidRecordException;
    }

    /** A small dead letter in place of {@code d}: its reason (class unchanged: it starts the same) says what happened. */
    static DeadLetter replacement(DeadLetter d, int refusedBytes, Exception e) {
      String why = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
      String head = d.reason().length() <= 512 ? d.reason()
          : d.reason().substring(0, Character.isHighSurrogate(d.reason().charAt(511)) ? 511 : 512) + "...";
      String reason = head + " [dead letter of " + refusedBytes + " bytes refused by the topic (" + e.getClass().getSimpleName() + ": "
          + (why.length() > 200 ? why.substring(0, 200) : why) + "); value cut to fit " + REPLACEMENT_BYTES + " bytes]";
      return new DeadLetter(d.stage(), reason, d.topic(), d.partition(), d.offset(), d.key(), d.value(),
          d.recordTimestamp(), d.failedAt(), d.valueLength());
    }

    private void sendReplacements() {
      for (DeadLetter r = replacements.poll(); r != null; r = replacements.poll()) {
        LOG.warn("dead letter of {} at {}/{}@{} refused by {}; wrote a {}-byte replacement", r.stage(), r.topic(),
            r.partition(), r.offset(), topic, REPLACEMENT_BYTES);
        send(r, DeadLetterJson.toJson(r, REPLACEMENT_BYTES), false);
      }
    }

    @Override
    public void flush() throws IOException {
      producer.flush();
      while (!replacements.isEmpty()) {
        sendReplacements();
        producer.flush();
      }
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
