package dev.driftline.runtime.metrics;

import java.util.Arrays;
import java.util.List;
import org.apache.flink.metrics.MetricGroup;

/**
 * Every metric the Driftline jobs register, with its label keys in order. Each is registered in the
 * operator's metric group under {@code driftline}, then one key/value group per label
 * ({@code addGroup(key, value)}), then the metric itself; Flink's Prometheus reporter turns the
 * key/value groups into labels and the keys into part of the name, so the exported name is
 * {@code flink_taskmanager_job_task_operator_driftline_<label keys>_<name>}
 * ({@link #prometheusName()}), next to Flink's own labels ({@code job_name}, {@code operator_name},
 * {@code subtask_index}, ...). Counters are exported as Prometheus gauges (Flink reports a
 * counter's current value); use {@code rate()} or {@code increase()} on them all the same.
 */
public enum DriftlineMetric {
  RECORDS_DECODED("records_decoded", Kind.COUNTER, "records of an input topic decoded into events", "source"),
  DEAD_LETTERS("dead_letters", Kind.COUNTER,
      "records written to the dead-letter topic, by the step that refused them and a reason class", "source", "reason"),
  WINDOWS_CLOSED("windows_closed", Kind.COUNTER, "drift windows closed (time and count windows)", "model", "segment"),
  DRIFT_RESULTS("drift_results", Kind.COUNTER, "drift results emitted (one per feature and test of a window; label drift included)",
      "model", "segment", "test"),
  DRIFT_FLAGS("drift_flags", Kind.COUNTER, "drift results that flag drift", "model", "segment", "test"),
  PERFORMANCE_UPDATES("performance_updates", Kind.COUNTER,
      "performance results emitted (each update of a window as labels arrive, estimates included)", "model", "segment"),
  LABEL_COVERAGE("label_coverage", Kind.GAUGE,
      "label coverage (labelled / predictions, 0..1) of the newest realized performance update", "model", "segment"),
  LABELS_UNMATCHED("labels_unmatched", Kind.COUNTER, "labels whose prediction did not come within labels.max_delay", "model"),
  LABELS_DUPLICATE("labels_duplicate", Kind.COUNTER, "labels for an already labelled prediction", "model"),
  RETRAIN_TRIGGERS("retrain_triggers", Kind.COUNTER, "retrain triggers emitted", "model", "segment"),
  ALERTS("alerts", Kind.COUNTER, "alerts emitted", "model", "segment"),
  ELASTICSEARCH_BULK_RETRIES("elasticsearch_bulk_retries", Kind.COUNTER,
      "bulk items sent again after a 429, 5xx or connection error (each item of a failed request, the failed ones of a partial bulk)"),
  ELASTICSEARCH_REQUESTS_IN_FLIGHT("elasticsearch_requests_in_flight", Kind.GAUGE,
      "bulk requests sent and not yet answered, retries waiting included"),
  EVENT_TIME_LAG("event_time_lag_ms", Kind.GAUGE,
      "wall-clock now minus the operator's current watermark, in milliseconds (NaN before the first watermark)"),
  FEATURE_UPDATES("feature_updates", Kind.COUNTER, "feature records emitted, one per entity and event time", "view"),
  ENTITIES_FORGOTTEN("entities_forgotten", Kind.COUNTER, "entities whose state was cleared after the view's entity_ttl", "view"),
  FRESHNESS("freshness_ms", Kind.HISTOGRAM,
      "computed_at - as_of of each feature record (wall clock minus event time), in milliseconds; the last 10,000 per subtask",
      "view"),
  LAST_FRESHNESS("last_freshness_ms", Kind.GAUGE, "computed_at - as_of of the newest feature record, in milliseconds", "view");

  /** The group every Driftline metric lives under, below the operator's. */
  public static final String GROUP = "driftline";
  /** What Flink's Prometheus reporter puts before the group of an operator's metric. */
  public static final String OPERATOR_PREFIX = "flink_taskmanager_job_task_operator_";

  /**
   * Counter, gauge or histogram. Flink's Prometheus reporter exports a histogram as a summary: the
   * name with a {@code quantile} label (0.5 … 0.999) and {@code <name>_count}.
   */
  public enum Kind { COUNTER, GAUGE, HISTOGRAM }

  private final String metricName;
  private final Kind kind;
  private final String meaning;
  private final List<String> labels;

  DriftlineMetric(String metricName, Kind kind, String meaning, String... labels) {
    this.metricName = metricName;
    this.kind = kind;
    this.meaning = meaning;
    this.labels = List.of(labels);
  }

  /** The name given to Flink, the last part of the Prometheus name. */
  public String metricName() {
    return metricName;
  }

  public Kind kind() {
    return kind;
  }

  public String meaning() {
    return meaning;
  }

  /** Label keys, in the order of their groups. */
  public List<String> labels() {
    return labels;
  }

  /** The labels of the exported samples: {@link #labels()}, and {@code quantile} for a histogram. */
  public List<String> exportedLabels() {
    if (kind != Kind.HISTOGRAM) {
      return labels;
    }
    List<String> out = new java.util.ArrayList<>(labels);
    out.add("quantile");
    return List.copyOf(out);
  }

  /** The name Flink's Prometheus reporter exports, e.g. {@code flink_taskmanager_job_task_operator_driftline_model_segment_windows_closed}. */
  public String prometheusName() {
    return OPERATOR_PREFIX + GROUP + "_" + (labels.isEmpty() ? "" : String.join("_", labels) + "_") + metricName;
  }

  /** Every exported name, in declaration order. */
  public static List<String> prometheusNames() {
    return Arrays.stream(values()).map(DriftlineMetric::prometheusName).toList();
  }

  /**
   * The group of one combination of label values, below {@code operatorGroup}; register the metric
   * in it with {@link #metricName()}. Registering creates groups: do it once per combination, not
   * per record (see {@link MetricFamily}).
   */
  public MetricGroup group(MetricGroup operatorGroup, String... values) {
    if (values.length != labels.size()) {
      throw new IllegalArgumentException(name() + ": expected values for " + labels + ", got " + Arrays.toString(values));
    }
    MetricGroup g = operatorGroup.addGroup(GROUP);
    for (int i = 0; i < values.length; i++) {
      g = g.addGroup(labels.get(i), values[i] == null ? "" : values[i]);
    }
    return g;
  }
}
