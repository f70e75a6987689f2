package dev.driftline.services;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A stateless sink for jobs on the MiniCluster (same JVM): every record is kept as an
 * {@link Output} (its id and its value, both strings the test chooses) under a run name, for
 * {@link #outputs} to return. It keeps no Flink state, so it adds nothing to a savepoint.
 * Thread-safe.
 */
public final class CollectingSink<T> implements Sink<T> {
  private static final long serialVersionUID = 1L;
  private static final Map<String, List<Output>> RUNS = new ConcurrentHashMap<>();

  /** A record as the test compares it: what identifies it and what it must equal. */
  public record Output(String id, String value) {}

  /** How a record becomes an {@link Output}; serializable, as it travels with the job graph. */
  @FunctionalInterface
  public interface Describe<T> extends Serializable {
    Output of(T record);
  }

  private final String run;
  private final Describe<T> describe;

  private CollectingSink(String run, Describe<T> describe) {
    this.run = run;
    this.describe = describe;
  }

  /** A sink that keeps its records under {@code run}; records kept earlier under that name are dropped. */
  public static <T> CollectingSink<T> of(String run, Describe<T> describe) {
    RUNS.put(run, new ArrayList<>());
    return new CollectingSink<>(run, describe);
  }

  /** Every record written under {@code run} so far, in no particular order across subtasks. */
  public static List<Output> outputs(String run) {
    List<Output> list = RUNS.get(run);
    if (list == null) {
      throw new IllegalStateException("no collecting sink was made for run " + run);
    }
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    List<Output> list = RUNS.computeIfAbsent(run, r -> new ArrayList<>());
    return new SinkWriter<>() {
      @Override
      public void write(T record, Context c) {
        Output o = describe.of(record);
        synchronized (list) {
          list.add(o);
        }
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
