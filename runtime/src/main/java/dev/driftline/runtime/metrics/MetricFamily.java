package dev.driftline.runtime.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;

/**
 * One {@link DriftlineMetric} of an operator instance: a metric per combination of label values,
 * registered on first use and cached in nested maps, so a combination seen before costs one hash
 * lookup per label and allocates nothing. Not thread-safe: use it from the task thread (the
 * metrics themselves are read by the reporter's thread).
 */
public final class MetricFamily<M extends Metric> {
  private final DriftlineMetric metric;
  private final MetricGroup operatorGroup;
  private final Function<MetricGroup, M> register;
  private final Map<String, Object> root = new HashMap<>();

  /** @param register registers the metric in the group it is given, e.g. {@code g -> g.counter(name)} */
  public MetricFamily(DriftlineMetric metric, MetricGroup operatorGroup, Function<MetricGroup, M> register) {
    this.metric = metric;
    this.operatorGroup = operatorGroup;
    this.register = register;
  }

  /** A family of counters of {@code metric} in the operator's group. */
  public static MetricFamily<org.apache.flink.metrics.Counter> counters(DriftlineMetric metric, MetricGroup operatorGroup) {
    return new MetricFamily<>(metric, operatorGroup, g -> g.counter(metric.metricName()));
  }

  /** A family of {@link DoubleGauge}s of {@code metric} in the operator's group. */
  public static MetricFamily<DoubleGauge> gauges(DriftlineMetric metric, MetricGroup operatorGroup) {
    return new MetricFamily<>(metric, operatorGroup, g -> g.gauge(metric.metricName(), new DoubleGauge()));
  }

  /** The metric of a one-label family. */
  @SuppressWarnings("unchecked")
  public M get(String a) {
    M m = (M) root.get(a);
    if (m == null) {
      m = register.apply(metric.group(operatorGroup, a));
      root.put(a, m);
    }
    return m;
  }

  /** The metric of a two-label family. */
  @SuppressWarnings("unchecked")
  public M get(String a, String b) {
    Map<String, Object> level = level(root, a);
    M m = (M) level.get(b);
    if (m == null) {
      m = register.apply(metric.group(operatorGroup, a, b));
      level.put(b, m);
    }
    return m;
  }

  /** The metric of a three-label family. */
  @SuppressWarnings("unchecked")
  public M get(String a, String b, String c) {
    Map<String, Object> level = level(level(root, a), b);
    M m = (M) level.get(c);
    if (m == null) {
      m = register.apply(metric.group(operatorGroup, a, b, c));
      level.put(c, m);
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> level(Map<String, Object> parent, String key) {
    Map<String, Object> level = (Map<String, Object>) parent.get(key);
    if (level == null) {
      level = new HashMap<>();
      parent.put(key, level);
    }
    return level;
  }
}
