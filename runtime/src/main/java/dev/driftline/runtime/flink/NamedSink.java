package dev.driftline.runtime.flink;

import java.util.regex.Pattern;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

/**
 * A sink with the stable name its operator uid is made of ({@code kafka}, {@code elasticsearch}):
 * the uid names where the records go, not the sink's class or its place in a list, so a savepoint
 * of one version restores the sink's state (Kafka transactions, pending bulk requests) in the next.
 *
 * @param name lower-case letters, digits and '-'; unique among the sinks of one output
 */
public record NamedSink<T>(String name, Sink<T> sink) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  public NamedSink {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("sink name: expected lower-case letters, digits and '-', got \"" + name + "\"");
    }
    if (sink == null) {
      throw new IllegalArgumentException("sink \"" + name + "\": no sink given");
    }
  }

  public static <T> NamedSink<T> of(String name, Sink<T> sink) {
    return new NamedSink<>(name, sink);
  }

  /**
   * Writes {@code stream} to this sink, the operator named {@code "<label>: <name>"} with uid
   * {@code "<uidPrefix>/<name>"} (e.g. {@code drift/sink/drift-results/kafka}).
   */
  public DataStreamSink<T> attach(DataStream<T> stream, String uidPrefix, String label) {
    return stream.sinkTo(sink).uid(uidPrefix + "/" + name).name(label + ": " + name);
  }
}
