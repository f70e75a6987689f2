package dev.driftline.runtime.metrics;

import org.apache.flink.metrics.Gauge;

/** A gauge holding the last value set; written by the task thread, read by the reporter's. NaN until set. */
public final class DoubleGauge implements Gauge<Double> {
  private volatile double value = Double.NaN;

  public void set(double value) {
    this.value = value;
  }

  @Override
  public Double getValue() {
    return value;
  }
}
