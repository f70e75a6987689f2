package dev.driftline.runtime.elasticsearch;

import dev.driftline.runtime.deadletter.DeadLetterSink;
import dev.driftline.runtime.deadletter.KafkaDeadLetterSink;
import dev.driftline.runtime.kafka.KafkaConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Writes a stream to Elasticsearch with bulk requests, at least once: every element becomes an
 * {@link EsOperation} with a deterministic id, so a replay after a restart overwrites what the
 * first attempt wrote.
 *
 * <ul>
 *   <li>Bulk items rejected with 429 or 5xx, and whole requests that fail on the way (connection
 *       refused, timeouts, 429/5xx), are retried with exponential backoff, only the failed items;
 *       the request stays in flight meanwhile, so backpressure holds. The defaults (40 retries,
 *       100 ms doubling up to 10 s) ride out about 6 minutes of an unreachable or overloaded
 *       cluster (a node restart, a rolling upgrade) without failing the job, and notice its return
 *       within 10 s; checkpoints wait for the in-flight bulks meanwhile. After {@code maxRetries}
 *       the job fails and Flink restarts it from the last checkpoint.
 *   <li>Items Elasticsearch will never accept (4xx: mapping conflicts, bad documents) go to the
 *       dead-letter sink with stage {@code elasticsearch:<index>}, counted in the writer metric
 *       {@code deadLetters}.
 *   <li>A guarded write ({@link EsOperation#withExternalVersion}) that loses to a higher stored
 *       version is expected, not an error: it is dropped and counted in {@code staleWritesSkipped}.
 *   <li>On a checkpoint every in-flight bulk completes and the dead letters are flushed; operations
 *       still buffered are kept in the checkpoint and sent after a restore. A completed checkpoint
 *       therefore means each operation is in Elasticsearch, in the dead letters or in the checkpoint.
 * </ul>
 *
 * @param <IN> stream element type
 */
public final class ElasticsearchSink<IN> extends AsyncSinkBase<IN, BulkEntry> {
  private static final long serialVersionUID = 1L;

  private final ElasticsearchConfig config;
  private final DeadLetterSink deadLetters;
  /** The longest wait between two retries of a failed bulk, unless {@link Builder#setRetries} says otherwise. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

  private final int maxRetries;
  private final Duration initialBackoff;
  private final Duration maxBackoff;

  private ElasticsearchSink(Builder<IN> b) {
    super(toEntry(b.converter), b.maxBatchSize, b.maxInFlightRequests, b.maxBufferedRequests, b.maxBatchSizeInBytes,
        b.maxTimeInBufferMS, b.maxRecordSizeInBytes,
        // Retries wait inside the request; the timeout only catches a request that never ends.
        b.maxBackoff.toMillis() + Duration.ofMinutes(5).toMillis(), true);
    this.config = b.config;
    this.deadLetters = b.deadLetters;
    this.maxRetries = b.maxRetries;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
  }

  public static <IN> Builder<IN> builder() {
    return new Builder<>();
  }

  private static <IN> ElementConverter<IN, BulkEntry> toEntry(SerializableFunction<IN, EsOperation> converter) {
    return (element, context) -> new BulkEntry(
        Objects.requireNonNull(converter.apply(element), "Elasticsearch sink: converter returned null"), 0);
  }

  @Override
  public StatefulSinkWriter<IN, BufferedRequestState<BulkEntry>> createWriter(WriterInitContext context) {
    return restoreWriter(context, List.of());
  }

  @Override
  public StatefulSinkWriter<IN, BufferedRequestState<BulkEntry>> restoreWriter(
      WriterInitContext context, Collection<BufferedRequestState<BulkEntry>> recoveredState) {
    return new ElasticsearchSinkWriter<>(getElementConverter(), context, getMaxBatchSize(), getMaxInFlightRequests(),
        getMaxBufferedRequests(), getMaxBatchSizeInBytes(), getMaxTimeInBufferMS(), getMaxRecordSizeInBytes(),
        getRequestTimeoutMS(), recoveredState, config, deadLetters, maxRetries, initialBackoff, maxBackoff);
  }

  @Override
  public SimpleVersionedSerializer<BufferedRequestState<BulkEntry>> getWriterStateSerializer() {
    return new BulkEntrySerializer();
  }

  /** Options with their defaults; {@link #build()} checks them together. */
  public static final class Builder<IN> {
    private ElasticsearchConfig config;
    private SerializableFunction<IN, EsOperation> converter;
    private int maxBatchSize = 1000;
    private int maxInFlightRequests = 4;
    private int maxBufferedRequests = 10_000;
    private long maxBatchSizeInBytes = 5L * 1024 * 1024;
    private long maxTimeInBufferMS = 1000;
    private long maxRecordSizeInBytes = 1024L * 1024;
    // 0.1 + 0.2 + ... + 6.4 s, then 33 × 10 s: about 343 s of retrying before the job fails.
    private int maxRetries = 40;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private KafkaConfig deadLetterKafka;
    private String deadLetterTopic = dev.driftline.core.topics.Topic.DEAD_LETTERS.defaultName();
    private DeadLetterSink deadLetters;

    private Builder() {}

    public Builder<IN> setConfig(ElasticsearchConfig config) {
      this.config = config;
      return this;
    }

    /** Turns an element into its write; must be deterministic (same element, same id). */
    public Builder<IN> setConverter(SerializableFunction<IN, EsOperation> converter) {
      this.converter = converter;
      return this;
    }

    /** Operations per bulk request (default 1000). */
    public Builder<IN> setMaxBatchSize(int n) {
      this.maxBatchSize = n;
      return this;
    }

    /** Bulk requests under way at once per writer (default 4). */
    public Builder<IN> setMaxInFlightRequests(int n) {
      this.maxInFlightRequests = n;
      return this;
    }

    /** Operations buffered per writer before it blocks (default 10000; more than the batch size). */
    public Builder<IN> setMaxBufferedRequests(int n) {
      this.maxBufferedRequests = n;
      return this;
    }

    /** Bulk body size limit in bytes (default 5 MiB; keep under the cluster's http.max_content_length). */
    public Builder<IN> setMaxBatchSizeInBytes(long bytes) {
      this.maxBatchSizeInBytes = bytes;
      return this;
    }

    /** Longest an operation waits in the buffer before a partial batch is sent (default 1000 ms). */
    public Builder<IN> setMaxTimeInBufferMS(long ms) {
      this.maxTimeInBufferMS = ms;
      return this;
    }

    /** Largest single operation in bytes (default 1 MiB); a larger one fails the job. */
    public Builder<IN> setMaxRecordSizeInBytes(long bytes) {
      this.maxRecordSizeInBytes = bytes;
      return this;
    }

    /**
     * Retries of a retryable failure before the job fails, waiting initial * 2^n, at most max
     * (default 40, 100 ms, 10 s: about 6 minutes in all).
     */
    public Builder<IN> setRetries(int maxRetries, Duration initialBackoff, Duration maxBackoff) {
      this.maxRetries = maxRetries;
      this.initialBackoff = initialBackoff;
      this.maxBackoff = maxBackoff;
      return this;
    }

    /** Dead letters to this Kafka cluster, on {@code topic} (default: the catalogue's {@code dead-letters}). */
    public Builder<IN> setDeadLetterKafka(KafkaConfig kafka, String topic) {
      this.deadLetterKafka = kafka;
      this.deadLetterTopic = topic;
      return this;
    }

    /** Dead letters to {@code sink} instead of Kafka. */
    public Builder<IN> setDeadLetterSink(DeadLetterSink sink) {
      this.deadLetters = sink;
      return this;
    }

    public ElasticsearchSink<IN> build() {
      String p = "Elasticsearch sink: ";
      if (config == null) {
        throw new IllegalArgumentException(p + "config: expected an ElasticsearchConfig, got nothing");
      }
      if (converter == null) {
        throw new IllegalArgumentException(p + "converter: expected a function element -> EsOperation, got nothing");
      }
      if (deadLetters == null && deadLetterKafka == null) {
        throw new IllegalArgumentException(p + "dead letters: expected a Kafka config and topic (or a DeadLetterSink), got nothing");
      }
      if (deadLetters != null && deadLetterKafka != null) {
        throw new IllegalArgumentException(p + "dead letters: expected a Kafka config or a DeadLetterSink, got both");
      }
      positive(p + "maxBatchSize", maxBatchSize);
      positive(p + "maxInFlightRequests", maxInFlightRequests);
      positive(p + "maxBatchSizeInBytes", maxBatchSizeInBytes);
      positive(p + "maxTimeInBufferMS", maxTimeInBufferMS);
      positive(p + "maxRecordSizeInBytes", maxRecordSizeInBytes);
      if (maxBufferedRequests <= maxBatchSize) {
        throw new IllegalArgumentException(p + "maxBufferedRequests: expected more than maxBatchSize (" + maxBatchSize
            + "), got " + maxBufferedRequests);
      }
      if (maxRecordSizeInBytes > maxBatchSizeInBytes) {
        throw new IllegalArgumentException(p + "maxRecordSizeInBytes: expected at most maxBatchSizeInBytes ("
            + maxBatchSizeInBytes + "), got " + maxRecordSizeInBytes);
      }
      if (maxRetries < 0) {
        throw new IllegalArgumentException(p + "maxRetries: expected 0 or more, got " + maxRetries);
      }
      if (initialBackoff == null || maxBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()
          || maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(p + "backoff: expected 0 < initial <= max, got initial " + initialBackoff
            + ", max " + maxBackoff);
      }
      if (deadLetters == null) {
        deadLetters = new KafkaDeadLetterSink(deadLetterKafka, deadLetterTopic);
      }
      return new ElasticsearchSink<>(this);
    }

    private static void positive(String what, long value) {
      if (value <= 0) {
        throw new IllegalArgumentException(what + ": expected more than 0, got " + value);
      }
    }
  }
}
