package dev.driftline.services;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Wraps a real source (e.g. Kafka) and fails the job once: after a checkpoint has completed and
 * {@code failAfter} records went through, so the restart restores from a checkpoint taken in the
 * middle of the input. Records are slowed by {@code pauseMillis} each so checkpoints land mid-stream.
 * The failure happens once per {@code flag}, across restarts.
 */
public final class FailOnceSource<T, S extends SourceSplit, E> implements Source<T, S, E>, ResultTypeQueryable<T> {
  private static final long serialVersionUID = 1L;
  private final Source<T, S, E> delegate;
  private final int failAfter;
  private final long pauseMillis;
  private final String flag;
  private static final java.util.Map<String, AtomicBoolean> FAILED = new java.util.concurrent.ConcurrentHashMap<>();

  public FailOnceSource(Source<T, S, E> delegate, int failAfter, long pauseMillis, String flag) {
    this.delegate = delegate;
    this.failAfter = failAfter;
    this.pauseMillis = pauseMillis;
    this.flag = flag;
  }

  /** Whether the failure of {@code flag} happened. */
  public static boolean failed(String flag) {
    return FAILED.computeIfAbsent(flag, k -> new AtomicBoolean()).get();
  }

  @Override
  @SuppressWarnings("unchecked")
  public TypeInformation<T> getProducedType() {
    if (delegate instanceof ResultTypeQueryable<?> q) {
      return (TypeInformation<T>) q.getProducedType();
    }
    throw new IllegalStateException("the wrapped source does not tell its type: " + delegate);
  }

  @Override
  public Boundedness getBoundedness() {
    return delegate.getBoundedness();
  }

  @Override
  public SplitEnumerator<S, E> createEnumerator(SplitEnumeratorContext<S> context) throws Exception {
    return delegate.createEnumerator(context);
  }

  @Override
  public SplitEnumerator<S, E> restoreEnumerator(SplitEnumeratorContext<S> context, E checkpoint) throws Exception {
    return delegate.restoreEnumerator(context, checkpoint);
  }

  @Override
  public SimpleVersionedSerializer<S> getSplitSerializer() {
    return delegate.getSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<E> getEnumeratorCheckpointSerializer() {
    return delegate.getEnumeratorCheckpointSerializer();
  }

  @Override
  public SourceReader<T, S> createReader(SourceReaderContext context) throws Exception {
    return new Reader<>(delegate.createReader(context), failAfter, pauseMillis, FAILED.computeIfAbsent(flag, k -> new AtomicBoolean()));
  }

  private static final class Reader<T, S extends SourceSplit> implements SourceReader<T, S> {
    private final SourceReader<T, S> delegate;
    private final int failAfter;
    private final long pauseMillis;
    private final AtomicBoolean failed;
    private int seen;
    private boolean checkpointed;

    Reader(SourceReader<T, S> delegate, int failAfter, long pauseMillis, AtomicBoolean failed) {
      this.delegate = delegate;
      this.failAfter = failAfter;
      this.pauseMillis = pauseMillis;
      this.failed = failed;
    }

    @Override
    public void start() {
      delegate.start();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
      return delegate.pollNext(new Counting(output));
    }

    private void count() {
      seen++;
      if (pauseMillis > 0) {
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (checkpointed && seen >= failAfter && failed.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure after " + seen + " records: the job restores from its checkpoint");
      }
    }

    @Override
    public List<S> snapshotState(long checkpointId) {
      return delegate.snapshotState(checkpointId);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
      checkpointed = true;
      delegate.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return delegate.isAvailable();
    }

    @Override
    public void addSplits(List<S> splits) {
      delegate.addSplits(splits);
    }

    @Override
    public void notifyNoMoreSplits() {
      delegate.notifyNoMoreSplits();
    }

    @Override
    public void close() throws Exception {
      delegate.close();
    }

    private final class Counting implements ReaderOutput<T> {
      private final ReaderOutput<T> out;

      Counting(ReaderOutput<T> out) {
        this.out = out;
      }

      @Override
      public void collect(T record) {
        count();
        out.collect(record);
      }

      @Override
      public void collect(T record, long timestamp) {
        count();
        out.collect(record, timestamp);
      }

      @Override
      public void emitWatermark(Watermark watermark) {
        out.emitWatermark(watermark);
      }

      @Override
      public void markIdle() {
        out.markIdle();
      }

      @Override
      public void markActive() {
        out.markActive();
      }

      @Override
      public SourceOutput<T> createOutputForSplit(String splitId) {
        SourceOutput<T> split = out.createOutputForSplit(splitId);
        return new SourceOutput<>() {
          @Override
          public void collect(T record) {
            count();
            split.collect(record);
          }

          @Override
          public void collect(T record, long timestamp) {
            count();
            split.collect(record, timestamp);
          }

          @Override
          public void emitWatermark(Watermark watermark) {
            split.emitWatermark(watermark);
          }

          @Override
          public void markIdle() {
            split.markIdle();
          }

          @Override
          public void markActive() {
            split.markActive();
          }
        };
      }

      @Override
      public void releaseOutputForSplit(String splitId) {
        out.releaseOutputForSplit(splitId);
      }
    }
  }
}
