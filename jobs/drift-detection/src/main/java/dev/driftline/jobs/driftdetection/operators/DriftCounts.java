package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.results.DriftResult;
import dev.driftline.runtime.metrics.DriftlineMetric;
import dev.driftline.runtime.metrics.MetricFamily;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * {@link DriftlineMetric#DRIFT_RESULTS} and {@link DriftlineMetric#DRIFT_FLAGS} of an operator that
 * emits drift results, by model, segment and test. Per result, not per record.
 */
final class DriftCounts {
  private final MetricFamily<Counter> results;
  private final MetricFamily<Counter> flags;

  DriftCounts(MetricGroup operatorGroup) {
    results = MetricFamily.counters(DriftlineMetric.DRIFT_RESULTS, operatorGroup);
    flags = MetricFamily.counters(DriftlineMetric.DRIFT_FLAGS, operatorGroup);
  }

  void count(DriftResult r) {
    results.get(r.modelId(), r.segment(), r.test()).inc();
    // Registered with the first result, flag or not: a series at 0 rather than none, so flags / results is defined.
    Counter f = flags.get(r.modelId(), r.segment(), r.test());
    if (r.drift()) {
      f.inc();
    }
  }
}
