package dev.driftline.runtime.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetterSink;
import dev.driftline.runtime.deadletter.DeadLetterWriter;
import dev.driftline.runtime.metrics.DriftlineMetric;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One parallel instance of {@link ElasticsearchSink}. Bulk responses arrive on the HTTP client's
 * threads; they only write dead letters (thread-safe), bump thread-safe counters and hand the
 * outcome to the {@link ResultHandler}, which moves it onto the task's mailbox thread.
 */
final class ElasticsearchSinkWriter<IN> extends AsyncSinkWriter<IN, BulkEntry> {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinkWriter.class);
  private static final String VERSION_CONFLICT = "version_conflict_engine_exception";

  private final ElasticsearchConfig config;
  private final ElasticsearchAsyncClient client;
  private final DeadLetterWriter deadLetters;
  private final ScheduledExecutorService retryTimer;
  private final int maxRetries;
  private final long initialBackoffMs;
  private final long maxBackoffMs;
  private final Counter deadLetterCount;
  private final Counter staleWritesSkipped;
  private final Counter bulkRetries;
  /** Bulk requests submitted and not yet completed, failed or handed back for retry. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private final String owner;

  ElasticsearchSinkWriter(ElementConverter<IN, BulkEntry> converter, WriterInitContext context, int maxBatchSize,
      int maxInFlightRequests, int maxBufferedRequests, long maxBatchSizeInBytes, long maxTimeInBufferMS,
      long maxRecordSizeInBytes, long requestTimeoutMS, Collection<BufferedRequestState<BulkEntry>> states,
      ElasticsearchConfig config, DeadLetterSink deadLetterSink, int maxRetries, Duration initialBackoff,
      Duration maxBackoff) {
    super(converter, context,
        AsyncSinkWriterConfiguration.builder()
            .setMaxBatchSize(maxBatchSize)
            .setMaxBatchSizeInBytes(maxBatchSizeInBytes)
            .setMaxInFlightRequests(maxInFlightRequests)
            .setMaxBufferedRequests(maxBufferedRequests)
            .setMaxTimeInBufferMS(maxTimeInBufferMS)
            .setMaxRecordSizeInBytes(maxRecordSizeInBytes)
            .setRequestTimeoutMS(requestTimeoutMS)
            .setFailOnTimeout(true)
            .build(),
        states);
    int subtask = context.getTaskInfo().getIndexOfThisSubtask();
    this.owner = "elasticsearch-sink " + (subtask + 1) + "/" + context.getTaskInfo().getNumberOfParallelSubtasks();
    this.config = config;
    this.maxRetries = maxRetries;
    this.initialBackoffMs = initialBackoff.toMillis();
    this.maxBackoffMs = maxBackoff.toMillis();
    // Counted on the client's and the retry timer's threads, hence the thread-safe counters.
    DriftlineMetric dead = DriftlineMetric.DEAD_LETTERS;
    this.deadLetterCount = dead.group(context.metricGroup(), "elasticsearch", "rejected")
        .counter(dead.metricName(), new ThreadSafeSimpleCounter());
    this.staleWritesSkipped = context.metricGroup().counter("staleWritesSkipped", new ThreadSafeSimpleCounter());
    DriftlineMetric retries = DriftlineMetric.ELASTICSEARCH_BULK_RETRIES;
    this.bulkRetries = retries.group(context.metricGroup()).counter(retries.metricName(), new ThreadSafeSimpleCounter());
    DriftlineMetric requests = DriftlineMetric.ELASTICSEARCH_REQUESTS_IN_FLIGHT;
    requests.group(context.metricGroup()).gauge(requests.metricName(), (Gauge<Integer>) inFlight::get);
    this.retryTimer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "driftline-es-retry-" + subtask);
      t.setDaemon(true);
      return t;
    });
    this.deadLetters = deadLetterSink.open(owner);
    this.client = config.newAsyncClient();
  }

  @Override
  protected void submitRequestEntries(List<BulkEntry> entries, ResultHandler<BulkEntry> handler) {
    inFlight.incrementAndGet();
    ResultHandler<BulkEntry> result = new InFlight(handler);
    BulkRequest.Builder request = new BulkRequest.Builder();
    for (BulkEntry e : entries) {
      request.operations(toBulkOperation(e.operation()));
    }
    client.bulk(request.build()).whenComplete((response, error) -> {
      try {
        if (error != null) {
          onRequestFailure(entries, error, result);
        } else {
          onResponse(entries, response, result);
        }
      } catch (RuntimeException | IOException e) {
        result.completeExceptionally(e);
      }
    });
  }

  private void onRequestFailure(List<BulkEntry> entries, Throwable error, ResultHandler<BulkEntry> result) {
    String why = ElasticsearchErrors.describe(error, config);
    if (!ElasticsearchErrors.isRetryable(error)) {
      result.completeExceptionally(new ElasticsearchSinkException(
          "Elasticsearch at " + config.describeUrls() + ": bulk of " + entries.size() + " failed: " + why, error));
      return;
    }
    retryLater(entries, why, result);
  }

  private void onResponse(List<BulkEntry> entries, BulkResponse response, ResultHandler<BulkEntry> result)
      throws IOException {
    if (!response.errors()) {
      result.complete();
      return;
    }
    List<BulkResponseItem> items = response.items();
    if (items.size() != entries.size()) {
      result.completeExceptionally(new ElasticsearchSinkException("Elasticsearch at " + config.describeUrls()
          + ": bulk answered " + items.size() + " items for " + entries.size() + " operations"));
      return;
    }
    List<BulkEntry> retry = new ArrayList<>();
    String firstRetryReason = null;
    long now = System.currentTimeMillis();
    for (int i = 0; i < items.size(); i++) {
      BulkResponseItem item = items.get(i);
      if (item.error() == null) {
        continue;
      }
      EsOperation op = entries.get(i).operation();
      String reason = ElasticsearchErrors.describe(item.error());
      if (ElasticsearchErrors.isRetryableStatus(item.status())) {
        retry.add(entries.get(i));
        if (firstRetryReason == null) {
          firstRetryReason = op.index() + "/" + op.id() + ": HTTP " + item.status() + " " + reason;
        }
      } else if (op.guarded() && VERSION_CONFLICT.equals(item.error().type())) {
        staleWritesSkipped.inc();
      } else {
        deadLetters.write(new DeadLetter("elasticsearch:" + op.index(),
            op.id() + ": HTTP " + item.status() + " " + reason, null, -1, -1, null, op.document(), -1, now));
        deadLetterCount.inc();
        LOG.warn("{}: {}/{} to dead letters: HTTP {} {}", owner, op.index(), op.id(), item.status(), reason);
      }
    }
    if (retry.isEmpty()) {
      result.complete();
    } else {
      retryLater(retry, firstRetryReason, result);
    }
  }

  /**
   * Re-queues {@code failed} after an exponential backoff, holding the request in flight meanwhile;
   * fails the job once an entry has used up its retries.
   */
  private void retryLater(List<BulkEntry> failed, String reason, ResultHandler<BulkEntry> result) {
    int retries = failed.stream().mapToInt(BulkEntry::retries).max().orElse(0);
    if (retries >= maxRetries) {
      result.completeExceptionally(new ElasticsearchSinkException("Elasticsearch at " + config.describeUrls() + ": "
          + failed.size() + " operations still failing after " + maxRetries + " retries: " + reason));
      return;
    }
    long delay = Math.min(maxBackoffMs, initialBackoffMs << Math.min(retries, 30));
    LOG.warn("{}: retrying {} operations in {} ms (retry {} of {}): {}", owner, failed.size(), delay, retries + 1,
        maxRetries, reason);
    bulkRetries.inc(failed.size());
    List<BulkEntry> next = failed.stream().map(BulkEntry::retried).toList();
    retryTimer.schedule(() -> result.retryForEntries(next), delay, TimeUnit.MILLISECONDS);
  }

  /** Hands the outcome on and counts the request out of {@link #inFlight}, once. */
  private final class InFlight implements ResultHandler<BulkEntry> {
    private final ResultHandler<BulkEntry> handler;
    private final AtomicBoolean done = new AtomicBoolean();

    InFlight(ResultHandler<BulkEntry> handler) {
      this.handler = handler;
    }

    private void done() {
      if (done.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public void complete() {
      done();
      handler.complete();
    }

    @Override
    public void completeExceptionally(Exception e) {
      done();
      handler.completeExceptionally(e);
    }

    @Override
    public void retryForEntries(List<BulkEntry> entries) {
      done();
      handler.retryForEntries(entries);
    }
  }

  static BulkOperation toBulkOperation(EsOperation op) {
    return switch (op.opType()) {
      case INDEX -> BulkOperation.of(b -> b.index(i -> {
        i.index(op.index()).id(op.id()).document(BinaryData.of(op.document(), ContentType.APPLICATION_JSON));
        if (op.guarded()) {
          i.version(op.externalVersion()).versionType(VersionType.External);
        }
        return i;
      }));
      case UPSERT -> BulkOperation.of(b -> b.update(u -> u.index(op.index()).id(op.id())
          .binaryAction(BinaryData.of(upsertAction(op.document()), ContentType.APPLICATION_JSON))));
    };
  }

  /** {@code {"doc":<document>,"doc_as_upsert":true}} around the document's own bytes. */
  private static byte[] upsertAction(byte[] document) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(document.length + 32);
    out.writeBytes("{\"doc\":".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(document);
    out.writeBytes(",\"doc_as_upsert\":true}".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @Override
  protected long getSizeInBytes(BulkEntry entry) {
    return entry.sizeInBytes();
  }

  /** Completes the in-flight bulks (and with {@code endOfInput}, the buffer), then the dead letters. */
  @Override
  public void flush(boolean endOfInput) throws InterruptedException {
    super.flush(endOfInput);
    try {
      deadLetters.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(owner + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    retryTimer.shutdownNow();
    try {
      client.close();
    } catch (IOException e) {
      LOG.warn("{}: closing the Elasticsearch client: {}", owner, e.getMessage());
    }
    try {
      deadLetters.close();
    } catch (IOException e) {
      LOG.warn("{}: closing the dead-letter writer: {}", owner, e.getMessage());
    }
    super.close();
  }
}
