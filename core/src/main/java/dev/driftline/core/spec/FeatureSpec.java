package dev.driftline.core.spec;

import dev.driftline.core.baseline.Constraints;
import dev.driftline.core.baseline.NumericSummary;
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

  /**
   * What the data-quality checks expect of this feature: {@code suggested} (the reference's) with
   * this spec's {@code constraints} replacing it key by key; quantile bounds are read from {@code
   * reference} (null for categorical features).
   */
  public Constraints resolveConstraints(Constraints suggested, NumericSummary reference) {
    return constraints == null ? suggested : constraints.resolve(suggested, reference);
  }

  public FeatureSpec asCritical() {
    return new FeatureSpec(name, type, true, tests, constraints);
  }
}
