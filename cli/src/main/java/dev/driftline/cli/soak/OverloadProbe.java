package dev.driftline.cli.soak;

import dev.driftline.services.PrometheusMetrics;
import java.util.List;

/**
 * Reads what an overloaded drift-detection job shows of itself through the TaskManager's Prometheus
 * reporter: the Kafka sources' {@code pendingRecords} (Flink's standard source metric, which the
 * Kafka source reports from its consumer's lag), the predictions source's back-pressured time and the
 * busiest subtask's busy time. The source operators are named by the topics they read
 * ({@code Source: predictions}, {@code Source: labels}). The Kafka source registers
 * {@code pendingRecords} once its consumer has fetched from a partition; until then it counts 0.
 */
final class OverloadProbe {
  static final String PENDING = "flink_taskmanager_job_task_operator_pendingRecords";
  static final String BACK_PRESSURED = "flink_taskmanager_job_task_backPressuredTimeMsPerSecond";
  static final String BUSY = "flink_taskmanager_job_task_busyTimeMsPerSecond";
  static final String PREDICTIONS_SOURCE = "Source: predictions";
  static final String LABELS_SOURCE = "Source: labels";

  /** The job's lag and load as one scrape of {@code metricsUrl} shows them. */
  record Reading(long pendingRecords, double backPressuredMsPerSecond, double busyMsPerSecond) {}

  private OverloadProbe() {}

  static Reading read(String metricsUrl) {
    return of(PrometheusMetrics.scrape(metricsUrl));
  }

  /** Every metric of one scrape of {@code metricsUrl}, a line each, to {@code file}: what the last sample was read from. */
  static void write(String metricsUrl, java.nio.file.Path file) throws java.io.IOException {
    StringBuilder out = new StringBuilder();
    PrometheusMetrics.scrape(metricsUrl).forEach(m -> out.append(m.name()).append(' ').append(m.labels()).append(' ')
        .append(m.value()).append('\n'));
    java.nio.file.Files.writeString(file, out);
  }

  /** The reading of scraped {@code metrics}: a metric without a finite value counts 0. */
  static Reading of(List<PrometheusMetrics.Sample> metrics) {
    double pending = PrometheusMetrics.sum(metrics, PENDING,
        s -> isSource(s.label("operator_name")) && Double.isFinite(s.value()) && s.value() > 0);
    double backPressured = max(metrics, BACK_PRESSURED, s -> startsWith(s.label("task_name"), PREDICTIONS_SOURCE));
    double busy = max(metrics, BUSY, s -> true);
    return new Reading(Math.round(pending), backPressured, busy);
  }

  private static boolean isSource(String operator) {
    return PREDICTIONS_SOURCE.equals(plain(operator)) || LABELS_SOURCE.equals(plain(operator));
  }

  private static boolean startsWith(String s, String prefix) {
    return s != null && plain(s).startsWith(prefix);
  }

  /** A label value with the reporter's replacement of spaces undone, should it make one. */
  private static String plain(String s) {
    return s == null ? null : s.replace('_', ' ');
  }

  private static double max(List<PrometheusMetrics.Sample> metrics, String name,
      java.util.function.Predicate<PrometheusMetrics.Sample> filter) {
    return metrics.stream().filter(s -> s.name().equals(name) && filter.test(s) && Double.isFinite(s.value()))
        .mapToDouble(PrometheusMetrics.Sample::value).max().orElse(0);
  }
}
