package dev.driftline.runtime.metrics;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * {@link DriftlineMetric#EVENT_TIME_LAG}: wall-clock now minus the last watermark the operator
 * saw, in milliseconds, computed when the reporter reads it. NaN before the first watermark; 0
 * after the end of a bounded input (the final watermark is {@code Long.MAX_VALUE}: nothing lags).
 * The task thread sets the watermark, a plain store, so reporting it costs nothing per record.
 */
public final class EventTimeLag implements Gauge<Double> {
  private volatile long watermark = Long.MIN_VALUE;

  /** Registers a gauge in the operator's group. */
  public static EventTimeLag register(MetricGroup operatorGroup) {
    DriftlineMetric m = DriftlineMetric.EVENT_TIME_LAG;
    return m.group(operatorGroup).gauge(m.metricName(), new EventTimeLag());
  }

  /** Call with the operator's current watermark; writes only when it moved, so a call per record is cheap. */
  public void watermark(long watermark) {
    if (watermark != this.watermark) {
      this.watermark = watermark;
    }
  }

  @Override
  public Double getValue() {
    long w = watermark;
    if (w == Long.MIN_VALUE) {
      return Double.NaN;
    }
    return w == Long.MAX_VALUE ? 0.0 : (double) (System.currentTimeMillis() - w);
  }
}
