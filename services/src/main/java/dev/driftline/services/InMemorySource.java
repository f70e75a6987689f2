package dev.driftline.services;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A source for jobs on the MiniCluster (same JVM) that replays records kept in memory under a run
 * name, as a Kafka topic would: each partition is read in order by one subtask (partition
 * {@code p} by subtask {@code p % parallelism}), its position is checkpointed and restored, and
 * the records are the same on every run. A partition is a list of batches; the reader waits
 * {@code pause} (wall-clock) after each batch but the last, so periodic watermarks move on between
 * batches as they would while a producer is still writing.
 *
 * <p>A {@link Boundedness#BOUNDED} source ends once its partitions are read; a
 * {@link Boundedness#CONTINUOUS_UNBOUNDED} one then waits for more, like a Kafka source, until the
 * job is cancelled. The records themselves stay in this JVM: only run names and positions travel
 * with the job graph and its checkpoints. Thread-safe.
 */
public final class InMemorySource<T> implements Source<T, InMemorySource.Split, List<InMemorySource.Split>>, ResultTypeQueryable<T> {
  private static final long serialVersionUID = 1L;
  private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

  /** A run's partitions, each a list of batches, and the pause after each batch. */
  private record Run(List<List<List<?>>> partitions, long pauseMillis) {}

  /** Partition {@code partition} of run {@code run}, read up to (not including) {@code batch}, {@code index}. */
  public record Split(String run, int partition, int batch, int index) implements SourceSplit {
    @Override
    public String splitId() {
      return run + "/" + partition;
    }
  }

  private final String run;
  private final Class<T> type;
  private final Boundedness boundedness;

  private InMemorySource(String run, Class<T> type, Boundedness boundedness) {
    this.run = run;
    this.type = type;
    this.boundedness = boundedness;
  }

  /** A bounded source of {@code partitions}, each read straight through; replaces what {@code run} held before. */
  public static <T> InMemorySource<T> bounded(String run, Class<T> type, List<List<T>> partitions) {
    return of(run, type, Boundedness.BOUNDED, partitions.stream().map(p -> List.of(p)).toList(), Duration.ZERO);
  }

  /**
   * A source of {@code partitions}, each a list of batches with {@code pause} after each batch but
   * the last; replaces what {@code run} held before.
   */
  public static <T> InMemorySource<T> of(String run, Class<T> type, Boundedness boundedness, List<List<List<T>>> partitions,
      Duration pause) {
    List<List<List<?>>> copy = new ArrayList<>();
    for (List<List<T>> partition : partitions) {
      copy.add(partition.stream().<List<?>>map(List::copyOf).toList());
    }
    RUNS.put(run, new Run(List.copyOf(copy), pause.toMillis()));
    return new InMemorySource<>(run, type, boundedness);
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return TypeInformation.of(type);
  }

  @Override
  public Boundedness getBoundedness() {
    return boundedness;
  }

  @Override
  public SplitEnumerator<Split, List<Split>> createEnumerator(SplitEnumeratorContext<Split> context) {
    List<Split> splits = new ArrayList<>();
    for (int p = 0; p < run().partitions().size(); p++) {
      splits.add(new Split(run, p, 0, 0));
    }
    return new Enumerator(context, splits);
  }

  @Override
  public SplitEnumerator<Split, List<Split>> restoreEnumerator(SplitEnumeratorContext<Split> context, List<Split> unassigned) {
    return new Enumerator(context, unassigned);
  }

  @Override
  public SimpleVersionedSerializer<Split> getSplitSerializer() {
    return new SplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<List<Split>> getEnumeratorCheckpointSerializer() {
    return new SplitListSerializer();
  }

  @Override
  public SourceReader<T, Split> createReader(SourceReaderContext context) {
    return new Reader<>(boundedness == Boundedness.BOUNDED);
  }

  private Run run() {
    return runOf(run);
  }

  private static Run runOf(String run) {
    Run r = RUNS.get(run);
    if (r == null) {
      throw new IllegalStateException("no in-memory source was made for run " + run);
    }
    return r;
  }

  /** Gives each reader its partitions (partition p to subtask p % parallelism) once it registers, then no more. */
  private static final class Enumerator implements SplitEnumerator<Split, List<Split>> {
    private final SplitEnumeratorContext<Split> context;
    private final List<Split> unassigned;

    Enumerator(SplitEnumeratorContext<Split> context, List<Split> unassigned) {
      this.context = context;
      this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<Split> splits, int subtaskId) {
      unassigned.addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {
      int parallelism = context.currentParallelism();
      List<Split> mine = unassigned.stream().filter(s -> s.partition() % parallelism == subtaskId).toList();
      unassigned.removeAll(mine);
      mine.forEach(s -> context.assignSplit(s, subtaskId));
      context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public List<Split> snapshotState(long checkpointId) {
      return List.copyOf(unassigned);
    }

    @Override
    public void close() {}
  }

  /** Reads its splits one after the other, record by record, pausing between batches. */
  private static final class Reader<T> implements SourceReader<T, Split> {
    private final boolean bounded;
    private final Deque<Split> splits = new ArrayDeque<>();
    private boolean noMoreSplits;
    private long resumeAt;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    Reader(boolean bounded) {
      this.bounded = bounded;
    }

    @Override
    public void start() {}

    @Override
    @SuppressWarnings("unchecked")
    public InputStatus pollNext(ReaderOutput<T> output) {
      while (!splits.isEmpty()) {
        Split s = splits.peekFirst();
        Run run = runOf(s.run());
        List<List<?>> batches = run.partitions().get(s.partition());
        if (s.batch() >= batches.size()) {
          splits.removeFirst();
          continue;
        }
        long wait = resumeAt - System.currentTimeMillis();
        if (wait > 0) {
          CompletableFuture<Void> resumed = new CompletableFuture<>();
          available = resumed;
          CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS).execute(() -> resumed.complete(null));
          return InputStatus.NOTHING_AVAILABLE;
        }
        List<?> batch = batches.get(s.batch());
        if (s.index() < batch.size()) {
          output.collect((T) batch.get(s.index()));
        }
        splits.removeFirst();
        if (s.index() + 1 < batch.size()) {
          splits.addFirst(new Split(s.run(), s.partition(), s.batch(), s.index() + 1));
        } else {
          splits.addFirst(new Split(s.run(), s.partition(), s.batch() + 1, 0));
          if (s.batch() + 1 < batches.size()) {
            resumeAt = System.currentTimeMillis() + run.pauseMillis();
          }
        }
        return InputStatus.MORE_AVAILABLE;
      }
      if (bounded && noMoreSplits) {
        return InputStatus.END_OF_INPUT;
      }
      if (available.isDone()) {
        available = new CompletableFuture<>();
      }
      return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public List<Split> snapshotState(long checkpointId) {
      return List.copyOf(splits);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return available;
    }

    @Override
    public void addSplits(List<Split> added) {
      splits.addAll(added);
      available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
      noMoreSplits = true;
      available.complete(null);
    }

    @Override
    public void close() {}
  }

  private static final class SplitSerializer implements SimpleVersionedSerializer<Split> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(Split split) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        write(out, split);
      }
      return bytes.toByteArray();
    }

    @Override
    public Split deserialize(int version, byte[] serialized) throws IOException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        return read(in);
      }
    }

    static void write(DataOutputStream out, Split split) throws IOException {
      out.writeUTF(split.run());
      out.writeInt(split.partition());
      out.writeInt(split.batch());
      out.writeInt(split.index());
    }

    static Split read(DataInputStream in) throws IOException {
      return new Split(in.readUTF(), in.readInt(), in.readInt(), in.readInt());
    }
  }

  private static final class SplitListSerializer implements SimpleVersionedSerializer<List<Split>> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(List<Split> splits) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(splits.size());
        for (Split s : splits) {
          SplitSerializer.write(out, s);
        }
      }
      return bytes.toByteArray();
    }

    @Override
    public List<Split> deserialize(int version, byte[] serialized) throws IOException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        int n = in.readInt();
        List<Split> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          out.add(SplitSerializer.read(in));
        }
        return out;
      }
    }
  }
}
