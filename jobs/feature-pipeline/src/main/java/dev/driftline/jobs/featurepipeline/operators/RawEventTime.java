package dev.driftline.jobs.featurepipeline.operators;

import dev.driftline.core.features.FeatureEventDecoder;
import dev.driftline.runtime.kafka.DecodeFunction;
import dev.driftline.runtime.kafka.RawRecord;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * The event time of a raw record, read from its JSON at the source so that watermarks are kept per
 * Kafka partition (records of different partitions interleave in any order). A record without a
 * valid time gets {@link Long#MIN_VALUE}: it holds no watermark back and becomes a dead letter when
 * decoded. So does a record over the decode step's size limit, which is not parsed here either.
 */
public final class RawEventTime implements SerializableTimestampAssigner<RawRecord> {
  private static final long serialVersionUID = 1L;
  private final FeatureEventDecoder decoder;

  public RawEventTime(FeatureEventDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public long extractTimestamp(RawRecord raw, long recordTimestamp) {
    long ts = raw.value() == null || DecodeFunction.tooLarge(raw.value().length, DecodeFunction.DEFAULT_MAX_RECORD_BYTES) != null
        ? -1 : decoder.timestamp(raw.value());
    return ts < 0 ? Long.MIN_VALUE : ts;
  }
}
