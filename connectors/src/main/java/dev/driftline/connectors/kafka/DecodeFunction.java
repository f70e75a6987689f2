package dev.driftline.connectors.kafka;

import dev.driftline.connectors.deadletter.DeadLetter;
import dev.driftline.connectors.deadletter.DeadLetters;
import dev.driftline.core.io.Decoded;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes raw Kafka records: values to the main output, everything else to the
 * {@link DeadLetters#TAG} side output with the original bytes, the reason and the source offsets.
 * Counts both in the metrics {@code decoded} and {@code deadLetters}. Nothing is dropped.
 */
public final class DecodeFunction<T> extends ProcessFunction<RawRecord, T> {
  private static final long serialVersionUID = 1L;

  private final String stage;
  private final Decoded.Decoder<T> decoder;
  private transient Counter decoded;
  private transient Counter deadLetters;

  /** @param stage names this step in dead letters, e.g. {@code decode:predictions} */
  public DecodeFunction(String stage, Decoded.Decoder<T> decoder) {
    this.stage = stage;
    this.decoder = decoder;
  }

  @Override
  public void open(OpenContext context) {
    decoded = getRuntimeContext().getMetricGroup().counter("decoded");
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<T> out) {
    Decoded<T> result;
    if (raw.value() == null) {
      result = Decoded.error("empty record (no value)");
    } else {
      try {
        result = decoder.decode(raw.value());
      } catch (RuntimeException e) {
        // A decoder must not throw; if one does, the record still is not lost.
        result = Decoded.error("decoder failed: " + e);
      }
    }
    if (result.isOk()) {
      decoded.inc();
      out.collect(result.value());
    } else {
      deadLetters.inc();
      ctx.output(DeadLetters.TAG, new DeadLetter(stage, result.error(), raw.topic(), raw.partition(),
          raw.offset(), raw.key(), raw.value(), raw.timestamp(), System.currentTimeMillis()));
    }
  }
}
