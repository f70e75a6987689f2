package dev.driftline.runtime.kafka;

import dev.driftline.core.io.Decoded;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.runtime.deadletter.CountDeadLetters;
import dev.driftline.runtime.deadletter.DeadLetters;
import dev.driftline.runtime.metrics.DriftlineMetric;
import java.io.Serializable;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes raw Kafka records: values to the main output, everything else to the
 * {@link DeadLetters#TAG} side output with the original bytes, the reason and the source offsets.
 * Counts the values in {@link DriftlineMetric#RECORDS_DECODED} (labelled with the stage); the dead
 * letters are counted where they are written ({@link CountDeadLetters}). Nothing is dropped.
 *
 * <p>A record whose {@code driftline-schema} header names another schema or another major version
 * than the one this step reads ({@link #expecting}) is a dead letter without being parsed: fields
 * may have been removed or changed in type since. A record without the header is read (external
 * producers need not set it).
 *
 * <p>A record larger than the limit is not parsed at all (a 10 MB document costs far more than
 * its bytes once parsed into a tree): it becomes a dead letter that keeps only its first
 * {@link #DEAD_LETTER_PREFIX_BYTES} bytes (and its original length), so no more of it crosses the
 * network. A smaller record's dead letter keeps it whole up to what the dead-letter topic accepts
 * ({@link dev.driftline.runtime.deadletter.DeadLetterJson}).
 */
public final class DecodeFunction<T> extends ProcessFunction<RawRecord, T> {
  private static final long serialVersionUID = 1L;
  /** No Driftline event comes near this; Kafka's own default message limit is about the same. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;
  /** How much of an oversized record its dead letter keeps, enough to recognise it. */
  public static final int DEAD_LETTER_PREFIX_BYTES = 4096;

  private final String stage;
  private final RecordDecoder<T> decoder;
  private final int maxRecordBytes;
  private final RecordSchema expected;
  private transient Counter decoded;

  /** Decodes a whole record; the record's value is never null when it is called. */
  @FunctionalInterface
  private interface RecordDecoder<T> extends Serializable {
    Decoded<T> decode(RawRecord raw);
  }

  /** @param stage names this step in dead letters, e.g. {@code decode:predictions} */
  public DecodeFunction(String stage, Decoded.Decoder<T> decoder) {
    this(stage, decoder, DEFAULT_MAX_RECORD_BYTES);
  }

  /** @param maxRecordBytes a larger record value is a dead letter without being parsed */
  public DecodeFunction(String stage, Decoded.Decoder<T> decoder, int maxRecordBytes) {
    this(stage, raw -> decoder.decode(raw.value()), maxRecordBytes, null);
  }

  /**
   * A step that emits each value with the record it came from ({@link Sourced}), so that a later
   * step's dead letter of it keeps the original bytes and position.
   */
  public static <T> DecodeFunction<Sourced<T>> keepingSource(String stage, Decoded.Decoder<T> decoder) {
    return new DecodeFunction<>(stage, raw -> {
      Decoded<T> d = decoder.decode(raw.value());
      return d.isOk() ? Decoded.ok(new Sourced<>(d.value(), raw)) : Decoded.error(d.error());
    }, DEFAULT_MAX_RECORD_BYTES, null);
  }

  private DecodeFunction(String stage, RecordDecoder<T> decoder, int maxRecordBytes, RecordSchema expected) {
    if (maxRecordBytes < 1) {
      throw new IllegalArgumentException("max record bytes: expected at least 1, got " + maxRecordBytes);
    }
    this.stage = stage;
    this.decoder = decoder;
    this.maxRecordBytes = maxRecordBytes;
    this.expected = expected;
  }

  /** This step, dead-lettering records whose schema header names anything but {@code schema}. */
  public DecodeFunction<T> expecting(RecordSchema schema) {
    return new DecodeFunction<>(stage, decoder, maxRecordBytes, schema);
  }

  /** The reason a record with schema header {@code header} is not read as {@code expected}, or null. */
  public static String otherSchema(String header, RecordSchema expected) {
    return expected == null || header == null || header.equals(expected.headerValue()) ? null
        : RecordSchema.HEADER + " header: expected " + expected.headerValue() + ", got \"" + header + "\"";
  }

  /** The reason a value of {@code bytes} bytes is refused unparsed, or null when it may be decoded. */
  public static String tooLarge(int bytes, int maxRecordBytes) {
    return bytes <= maxRecordBytes ? null
        : "record too large: " + bytes + " bytes > limit " + maxRecordBytes + " (dead letter keeps the first "
            + Math.min(bytes, DEAD_LETTER_PREFIX_BYTES) + " bytes)";
  }

  @Override
  public void open(OpenContext context) {
    DriftlineMetric m = DriftlineMetric.RECORDS_DECODED;
    decoded = m.group(getRuntimeContext().getMetricGroup(), stage).counter(m.metricName());
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<T> out) {
    Decoded<T> result;
    byte[] value = raw.value();
    String tooLarge = value == null ? null : tooLarge(value.length, maxRecordBytes);
    String otherSchema = otherSchema(raw.schema(), expected);
    int kept = Integer.MAX_VALUE;
    if (value == null) {
      result = Decoded.error("empty record (no value)");
    } else if (otherSchema != null) {
      result = Decoded.error(otherSchema);
    } else if (tooLarge != null) {
      result = Decoded.error(tooLarge);
      kept = DEAD_LETTER_PREFIX_BYTES;
    } else {
      try {
        result = decoder.decode(raw);
      } catch (RuntimeException e) {
        // A decoder must not throw; if one does, the record still is not lost.
        result = Decoded.error("decoder failed: " + e);
      }
    }
    if (result.isOk()) {
      decoded.inc();
      out.collect(result.value());
    } else {
      ctx.output(DeadLetters.TAG, raw.deadLetter(stage, result.error(), kept));
    }
  }
}
