package dev.driftline.core.spec;

/** How a feature's values are compared with the reference. */
public enum FeatureType {
  NUMERIC("numeric"),
  CATEGORICAL("categorical");

  private final String id;

  FeatureType(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
