package dev.driftline.core.spec;

/** What a monitored model predicts; decides which performance metrics apply. */
public enum Task {
  BINARY_CLASSIFICATION("binary_classification"),
  /** One of three or more named classes ({@code classes} in the spec), with a probability per class. */
  MULTICLASS_CLASSIFICATION("multiclass_classification"),
  REGRESSION("regression");

  private final String id;

  Task(String id) {
    this.id = id;
  }

  /** The spelling used in YAML and JSON. */
  public String id() {
    return id;
  }
}
