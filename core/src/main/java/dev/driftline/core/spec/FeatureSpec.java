package dev.driftline.core.spec;

import java.io.Serializable;
import java.util.List;

/**
 * One monitored input feature.
 *
 * @param critical drift on this feature alone is enough for the trigger policy to fire
 * @param tests this feature's own tests ({@code features[i].tests}); null for its type's tests
 * @param constraints its {@code constraints} for the data-quality checks, each key replacing the
 *     reference's suggestion; null when the spec sets none
 */
public record FeatureSpec(String name, FeatureType type, boolean critical, List<DriftTestSpec> tests,
    ConstraintsSpec constraints) implements Serializable {

  public FeatureSpec {
    tests = tests == null ? null : List.copyOf(tests);
  }

  public FeatureSpec(String name, FeatureType type, boolean critical) {
    this(name, type, critical, null, null);
  }

  public FeatureSpec asCritical() {
    return new FeatureSpec(name, type, true, tests, constraints);
  }
}
