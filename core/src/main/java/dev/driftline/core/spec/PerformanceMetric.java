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
 * tasks have it, its range, how a window's value is computed, whether it is estimated before
 * labels and what it means (its description in the performance schema). Performance documents
 * carry every metric by this id ({@code PerformanceResult#metrics}); the performance schema's
 * metric fields, the Elasticsearch template's, the evidence's metric list in the trigger and alert
 * schemas and the metric table in docs/drift-job.md are generated from this list
 * ({@code bin/driftline registry write}, {@link dev.driftline.core.schema.RegistryFiles}), and the
 * build fails when a committed file is not what it generates.
 */
public enum PerformanceMetric {
  ACCURACY("accuracy", true, true, EnumSet.of(Task.BINARY_CLASSIFICATION, Task.MULTICLASS_CLASSIFICATION),
      classification(ClassificationMetrics::accuracy).or(multiclass(MulticlassMetrics::accuracy)),
      WindowEstimate::accuracy,
      "Classifiers: share of labelled predictions classified right — a binary classifier's at the spec's classification_threshold (estimated: the expected share), a multiclass classifier's by its most probable class."),
  BALANCED_ACCURACY("balanced_accuracy", true, true, EnumSet.of(Task.BINARY_CLASSIFICATION),
      classification(ClassificationMetrics::balancedAccuracy), null,
      "Realized binary classifiers: mean of recall and specificity, (TP / (TP + FN) + TN / (TN + FP)) / 2, as scikit-learn's balanced_accuracy_score; with labels of one class only, that class's recall."),
  PRECISION("precision", true, true, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::precision),
      binary(PerformanceEstimate::precision),
      "Classifiers: TP / (TP + FP); 0 when nothing is predicted positive."),
  RECALL("recall", true, true, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::recall),
      binary(PerformanceEstimate::recall),
      "Classifiers: TP / (TP + FN); 0 when no label is positive."),
  F1("f1", true, true, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::f1),
      binary(PerformanceEstimate::f1),
      "Classifiers: harmonic mean of precision and recall."),
  /** Null where undefined (one class only). */
  AUC("auc", true, true, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::rocAuc),
      binary(PerformanceEstimate::auc),
      "Classifiers: ROC AUC; absent when the labels (or the expected labels) have one class only."),
  LOG_LOSS("log_loss", false, false, EnumSet.of(Task.BINARY_CLASSIFICATION, Task.MULTICLASS_CLASSIFICATION),
      classification(ClassificationMetrics::logLoss).or(multiclass(MulticlassMetrics::logLoss)), null,
      "Realized classifiers: mean negative log-likelihood of the labels (natural log; scores clipped to [1e-15, 1 - 1e-15], a multiclass row then renormalized)."),
  BRIER("brier", false, true, EnumSet.of(Task.BINARY_CLASSIFICATION), classification(ClassificationMetrics::brier), null,
      "Realized classifiers: mean squared difference between score and label."),
  MACRO_PRECISION("macro_precision", true, true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION),
      multiclass(MulticlassMetrics::macroPrecision), null,
      "Realized multiclass classifiers: mean over the spec's classes of TP / (TP + FP), a class never predicted counting 0."),
  MACRO_RECALL("macro_recall", true, true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION), multiclass(MulticlassMetrics::macroRecall),
      null,
      "Realized multiclass classifiers: mean over the spec's classes of TP / (TP + FN), a class without labels counting 0."),
  MACRO_F1("macro_f1", true, true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION), multiclass(MulticlassMetrics::macroF1),
      multiclassEstimate(MulticlassPerformanceEstimate::macroF1),
      "Realized multiclass classifiers: mean over the spec's classes of each class's F1 (2 TP / (2 TP + FP + FN), 0 when undefined)."),
  /** Equals the accuracy (one label per example); registered so a policy can name it. */
  MICRO_F1("micro_f1", true, true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION), multiclass(MulticlassMetrics::micro), null,
      "Realized multiclass classifiers: F1 counting every example once; with one label per example it equals accuracy."),
  WEIGHTED_PRECISION("weighted_precision", true, true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION),
      multiclass(MulticlassMetrics::weightedPrecision), null,
      "Realized multiclass classifiers: per-class precision weighted by each class's labels."),
  WEIGHTED_RECALL("weighted_recall", true, true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION),
      multiclass(MulticlassMetrics::weightedRecall), null,
      "Realized multiclass classifiers: per-class recall weighted by each class's labels."),
  WEIGHTED_F1("weighted_f1", true, true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION), multiclass(MulticlassMetrics::weightedF1),
      null,
      "Realized multiclass classifiers: per-class F1 weighted by each class's labels."),
  /** Mean one-vs-rest AUC over the classes with both kinds of example; null with none. */
  MACRO_AUC("macro_auc", true, true, EnumSet.of(Task.MULTICLASS_CLASSIFICATION), multiclass(MulticlassMetrics::macroAuc), null,
      "Realized multiclass classifiers: mean one-vs-rest ROC AUC over the classes that have both labelled and other examples; absent with none (see auc_error_bound)."),
  MAE("mae", false, false, EnumSet.of(Task.REGRESSION), regression(RegressionMetrics::mae), null,
      "Realized regressors: mean absolute error, in the label's unit."),
  RMSE("rmse", false, false, EnumSet.of(Task.REGRESSION), regression(RegressionMetrics::rmse), null,
      "Realized regressors: root mean squared error, in the label's unit.");

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
  private final boolean unitInterval;
  private final Set<Task> tasks;
  private final Computation computation;
  private final Function<WindowEstimate, EstimatedMetric> estimate;
  private final String description;

  /**
   * @param unitInterval true for values in [0, 1], false for values in [0, ∞)
   * @param estimate its estimate before labels, or null when not estimated
   * @param description what the value is, for the performance schema (one sentence, starting with the models that have it)
   */
  PerformanceMetric(String id, boolean higherIsBetter, boolean unitInterval, Set<Task> tasks, Computation computation,
      Function<WindowEstimate, EstimatedMetric> estimate, String description) {
    this.id = id;
    this.higherIsBetter = higherIsBetter;
    this.unitInterval = unitInterval;
    this.tasks = tasks;
    this.computation = computation;
    this.estimate = estimate;
    this.description = description;
  }

  public String id() {
    return id;
  }

  /** True for scores (a policy sets a minimum), false for errors (a policy sets a maximum). */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** True when its values lie in [0, 1]; otherwise in [0, ∞). */
  public boolean unitInterval() {
    return unitInterval;
  }

  /** What the value is, as the performance schema describes the field. */
  public String description() {
    return description;
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
