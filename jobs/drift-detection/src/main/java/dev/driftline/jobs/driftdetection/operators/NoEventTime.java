package dev.driftline.jobs.driftdetection.operators;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The watermark of a stream without event time (published baselines): always the end of time,
 * so an operator it is broadcast to follows the watermark of its other input alone. Without any
 * watermark the broadcast input would hold that operator's watermark, and every timer behind it
 * (the pairing of estimates with realized performance), at its start forever.
 */
public final class NoEventTime<T> implements WatermarkStrategy<T> {
  private static final long serialVersionUID = 1L;

  @Override
  public WatermarkGenerator<T> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
    return new WatermarkGenerator<>() {
      @Override
      public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

      @Override
      public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(new Watermark(Long.MAX_VALUE));
      }
    };
  }
}
