package dev.driftline.core.spec;

import java.util.EnumSet;
import java.util.Set;

/** A per-window performance metric a policy can watch. */
public enum PerformanceMetric {
  ACCURACY("accuracy", true, EnumSet.of(Task.BINARY_CLASSIFICATION)),
  PRECISION("precision", true, EnumSet.of(Task.BINARY_CLASSIFICATION)),
  RECALL("recall", true, EnumSet.of(Task.BINARY_CLASSIFICATION)),
  F1("f1", true, EnumSet.of(Task.BINARY_CLASSIFICATION)),
  AUC("auc", true, EnumSet.of(Task.BINARY_CLASSIFICATION)),
  LOG_LOSS("log_loss", false, EnumSet.of(Task.BINARY_CLASSIFICATION)),
  BRIER("brier", false, EnumSet.of(Task.BINARY_CLASSIFICATION)),
  MAE("mae", false, EnumSet.of(Task.REGRESSION)),
  RMSE("rmse", false, EnumSet.of(Task.REGRESSION));

  private final String id;
  private final boolean higherIsBetter;
  private final Set<Task> tasks;

  PerformanceMetric(String id, boolean higherIsBetter, Set<Task> tasks) {
    this.id = id;
    this.higherIsBetter = higherIsBetter;
    this.tasks = tasks;
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
}
