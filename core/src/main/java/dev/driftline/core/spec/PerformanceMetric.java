package dev.driftline.core.spec;

import dev.driftline.core.estimation.EstimatedMetric;
import dev.driftline.core.estimation.MulticlassPerformanceEstimate;
import dev.driftline.core.estimation.PerformanceEstimate;
import dev.driftline.core.estimation.WindowEstimate;
import dev.driftline.core.metrics.ClassificationMetrics;
import dev.driftline.core.metrics.MulticlassMetrics;
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
  ACCURACY("accuracy", true, EnumSet.of(Task.BINARY_CLASSIFICATION, Task.MULTICLASS_CLASSIFICATION),
      classification(ClassificationMetrics::accuracy).or(multiclass(MulticlassMetrics::accuracy)),
      WindowEstimate::accuracy),
  PRECISION("precision", true, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::precision),
      binary(PerformanceEstimate::precision)),
  RECALL("recall", true, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::recall),
      binary(PerformanceEstimate::recall)),
  F1("f1", true, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::f1),
      binary(PerformanceEstimate::f1)),
  /** Null where undefined (one class only). */
  AUC("auc", true, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::rocAuc),
      binary(PerformanceEstimate::auc)),
  LOG_LOSS("log_loss", false, EnumSet.of(Task.BINARY_CLASSIFICATION, Task.MULTICLASS_CLASSIFICATION),
      classification(ClassificationMetrics::logLoss).or(multiclass(MulticlassMetrics::logLoss)), null),
  BRIER("brier", false, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::brier), null),
  MACRO_PRECISION("macro_precision", true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION),
      multiclass(MulticlassMetrics::macroPrecision), null),
  MACRO_RECALL("macro_recall", true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION), multiclass(MulticlassMetrics::macroRecall),
      null),
  MACRO_F1("macro_f1", true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION), multiclass(MulticlassMetrics::macroF1),
      multiclassEstimate(MulticlassPerformanceEstimate::macroF1)),
  /** Equals the accuracy (one label per example); registered so a policy can name it. */
  MICRO_F1("micro_f1", true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION), multiclass(MulticlassMetrics::micro), null),
  WEIGHTED_PRECISION("weighted_precision", true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION),
      multiclass(MulticlassMetrics::weightedPrecision), null),
  WEIGHTED_RECALL("weighted_recall", true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION),
      multiclass(MulticlassMetrics::weightedRecall), null),
  WEIGHTED_F1("weighted_f1", true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION), multiclass(MulticlassMetrics::weightedF1),
      null),
  /** Mean one-vs-rest AUC over the classes with both kinds of example; null with none. */
  MACRO_AUC("macro_auc", true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION), multiclass(MulticlassMetrics::macroAuc), null),
  MAE("mae", false, EnumSet.of(Task.REGRESSION), regression(RegressionMetrics::mae), null),
  RMSE("rmse", false, EnumSet.of(Task.REGRESSION), regression(RegressionMetrics::rmse), null);

  /** How a window's value is computed from its metrics of any kind (null for the other tasks). */
  public interface Computation {
    /** The value, or null where the window has none (another task, no labels, undefined). */
    Double of(ClassificationMetrics classification, RegressionMetrics regression, MulticlassMetrics multiclass);

    /** This computation's value, else {@code other}'s. */
    default Computation or(Computation other) {
      return (c, r, m) -> {
        Double v = of(c, r, m);
        return v != null ? v : other.of(c, r, m);
      };
    }
  }

  private final String id;
  private final boolean higherIsBetter;
  private final Set<Task> tasks;
  private final Computation computation;
  private final Function<WindowEstimate, EstimatedMetric> estimate;

  PerformanceMetric(String id, boolean higherIsBetter, Set<Task> tasks, Computation computation,
      Function<WindowEstimate, EstimatedMetric> estimate) {
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

  /** The window's value from its binary classification, regression or multiclass metrics; null where it has none. */
  public Double compute(ClassificationMetrics classification, RegressionMetrics regression, MulticlassMetrics multiclass) {
    return computation.of(classification, regression, multiclass);
  }

  /** Whether performance estimation before labels estimates this metric. */
  public boolean isEstimated() {
    return estimate != null;
  }

  /** This metric's estimate in {@code e}, or null (not estimated, or undefined for the window). */
  public EstimatedMetric estimate(WindowEstimate e) {
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

  private static Function<WindowEstimate, EstimatedMetric> binary(Function<PerformanceEstimate, EstimatedMetric> f) {
    return e -> e instanceof PerformanceEstimate b ? f.apply(b) : null;
  }

  private static Function<WindowEstimate, EstimatedMetric> multiclassEstimate(
      Function<MulticlassPerformanceEstimate, EstimatedMetric> f) {
    return e -> e instanceof MulticlassPerformanceEstimate m ? f.apply(m) : null;
  }

  private static Computation classification(ToDoubleFunction<ClassificationMetrics> f) {
    return (c, r, m) -> c == null ? null : definedOrNull(f.applyAsDouble(c));
  }

  private static Computation regression(ToDoubleFunction<RegressionMetrics> f) {
    return (c, r, m) -> r == null ? null : definedOrNull(f.applyAsDouble(r));
  }

  private static Computation multiclass(ToDoubleFunction<MulticlassMetrics> f) {
    return (c, r, m) -> m == null ? null : definedOrNull(f.applyAsDouble(m));
  }

  private static Double definedOrNull(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
