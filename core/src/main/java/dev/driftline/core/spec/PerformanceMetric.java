package dev.driftline.core.spec;

import dev.driftline.core.estimation.EstimatedMetric;
import dev.driftline.core.estimation.PerformanceEstimate;
import dev.driftline.core.metrics.ClassificationMetrics;
import dev.driftline.core.metrics.RegressionMetrics;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The per-window performance metrics: the one registration of each. A metric's entry says what it
 * is called (its field in performance documents, its name in a policy), which way is better, which
 * tasks have it, how a window's value is computed and whether it is estimated before labels.
 * Performance documents carry every metric by this id ({@code PerformanceResult#metrics}); the
 * performance schema, the Elasticsearch template and the metric list in docs/performance.md are
 * checked against this list by the build.
 */
public enum PerformanceMetric {
  ACCURACY("accuracy", true, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::accuracy),
      PerformanceEstimate::accuracy),
  PRECISION("precision", true, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::precision),
      PerformanceEstimate::precision),
  RECALL("recall", true, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::recall),
      PerformanceEstimate::recall),
  F1("f1", true, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::f1),
      PerformanceEstimate::f1),
  /** Null where undefined (one class only). */
  AUC("auc", true, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::rocAuc),
      PerformanceEstimate::auc),
  LOG_LOSS("log_loss", false, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::logLoss), null),
  BRIER("brier", false, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::brier), null),
  MAE("mae", false, EnumSet.of(Task.REGRESSION), regression(RegressionMetrics::mae), null),
  RMSE("rmse", false, EnumSet.of(Task.REGRESSION), regression(RegressionMetrics::rmse), null);

  /** How a window's value is computed from its metrics of either kind (null for the other task). */
  public interface Computation {
    /** The value, or null where the window has none (the other task, no labels, undefined). */
    Double of(ClassificationMetrics classification, RegressionMetrics regression);
  }

  private final String id;
  private final boolean higherIsBetter;
  private final Set<Task> tasks;
  private final Computation computation;
  private final Function<PerformanceEstimate, EstimatedMetric> estimate;

  PerformanceMetric(String id, boolean higherIsBetter, Set<Task> tasks, Computation computation,
      Function<PerformanceEstimate, EstimatedMetric> estimate) {
    this.id = id;
    this.higherIsBetter = higherIsBetter;
    this.tasks = tasks;
    this.computation = computation;
    this.estimate = estimate;
  }

  public String id() {
    return id;
  }

  /** True for scores (a policy sets a minimum), false for errors (a policy sets a maximum). */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  public boolean appliesTo(Task task) {
    return tasks.contains(task);
  }

  /** The window's value from its classification or regression metrics; null where it has none. */
  public Double compute(ClassificationMetrics classification, RegressionMetrics regression) {
    return computation.of(classification, regression);
  }

  /** Whether performance estimation before labels estimates this metric. */
  public boolean isEstimated() {
    return estimate != null;
  }

  /** This metric's estimate in {@code e}, or null (not estimated, or undefined for the window). */
  public EstimatedMetric estimate(PerformanceEstimate e) {
    return estimate == null || e == null ? null : estimate.apply(e);
  }

  /** The metric with this id, or null. */
  public static PerformanceMetric byId(String id) {
    for (PerformanceMetric m : values()) {
      if (m.id.equals(id)) {
        return m;
      }
    }
    return null;
  }

  private static Computation classification(ToDoubleFunction<ClassificationMetrics> f) {
    return (c, r) -> c == null ? null : definedOrNull(f.applyAsDouble(c));
  }

  private static Computation regression(ToDoubleFunction<RegressionMetrics> f) {
    return (c, r) -> r == null ? null : definedOrNull(f.applyAsDouble(r));
  }

  private static Double definedOrNull(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
