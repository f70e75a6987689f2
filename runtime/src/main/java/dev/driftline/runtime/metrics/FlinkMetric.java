package dev.driftline.runtime.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * The metrics of Flink itself (and of its Kafka connector) that Driftline's alert rules
 * ({@code dashboards/driftline-alerts.rules.yml}) read, under the names Flink's Prometheus reporter
 * exports them. {@code DriftJobMetricsTest} reads them from a running job's {@code /metrics}, so a
 * rename in a Flink or connector upgrade fails there instead of silencing an alert.
 */
public enum FlinkMetric {
  /** A source's records not yet read, per subtask; for a Kafka source the sum of its partitions' consumer lag (FLIP-33). */
  PENDING_RECORDS("flink_taskmanager_job_task_operator_pendingRecords"),
  /** Restarts of the job since it was submitted (a JobManager gauge). */
  NUM_RESTARTS("flink_jobmanager_job_numRestarts"),
  /** Checkpoints that failed since the job was submitted. */
  FAILED_CHECKPOINTS("flink_jobmanager_job_numberOfFailedCheckpoints"),
  /** Checkpoints that completed since the job was submitted. */
  COMPLETED_CHECKPOINTS("flink_jobmanager_job_numberOfCompletedCheckpoints");

  private final String prometheusName;

  FlinkMetric(String prometheusName) {
    this.prometheusName = prometheusName;
  }

  public String prometheusName() {
    return prometheusName;
  }

  /** Every exported name, in declaration order. */
  public static List<String> prometheusNames() {
    return Arrays.stream(values()).map(FlinkMetric::prometheusName).toList();
  }
}
