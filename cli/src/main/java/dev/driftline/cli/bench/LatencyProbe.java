package dev.driftline.cli.bench;

import dev.driftline.runtime.kafka.RawRecord;
import dev.driftline.runtime.kafka.RawRecordDeserializer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The production {@link RawRecordDeserializer} plus a probe: counts the records a run reads and
 * notes per source subtask when its reads pass each window end (record timestamp = event time, as the
 * benchmark produces them). What it sees lands in a static registry keyed by run, which works
 * because the MiniCluster runs in the benchmark's JVM.
 */
final class LatencyProbe implements KafkaRecordDeserializationSchema<RawRecord> {
  private static final long serialVersionUID = 1L;
  private static final Map<String, Observations> RUNS = new ConcurrentHashMap<>();

  /** What one run's sources read. Thread-safe. */
  static final class Observations {
    final LongAdder records = new LongAdder();
    final PassTimes passTimes;
    /** Hands each source subtask's probe its index in {@link #passTimes}. */
    final AtomicInteger sources = new AtomicInteger();

    Observations(PassTimes passTimes) {
      this.passTimes = passTimes;
    }
  }

  private final String runId;
  private final RawRecordDeserializer inner = new RawRecordDeserializer();
  private transient Observations observations;
  private transient int source;

  LatencyProbe(String runId) {
    this.runId = runId;
  }

  /** Starts observing run {@code runId}; its probes must be created after this. */
  static Observations register(String runId, PassTimes passTimes) {
    Observations o = new Observations(passTimes);
    if (RUNS.putIfAbsent(runId, o) != null) {
      throw new IllegalStateException("run " + runId + " is already observed");
    }
    return o;
  }

  static void unregister(String runId) {
    RUNS.remove(runId);
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) throws Exception {
    inner.open(context);
    observations = RUNS.get(runId);
    if (observations == null) {
      throw new IllegalStateException("latency probe of run " + runId + " opened outside the benchmark's JVM");
    }
    source = observations.sources.getAndIncrement();
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) throws IOException {
    observations.records.increment();
    observations.passTimes.observe(source, record.timestamp(), System.currentTimeMillis());
    inner.deserialize(record, out);
  }

  @Override
  public TypeInformation<RawRecord> getProducedType() {
    return inner.getProducedType();
  }
}
