package dev.driftline.core.baseline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.List;

/**
 * What a feature's values are expected to be, for the data-quality checks: a range for numbers,
 * the known categories, the share of missing values. {@code driftline baseline build} suggests
 * them from the training data (the range it saw, every category it saw, its missing share) into
 * each feature of the profile; a feature's {@code constraints} in the monitor spec override them
 * key by key. Every field is optional: a check whose bound is absent does not run.
 *
 * @param min values below it are out of range
 * @param max values above it are out of range
 * @param categories the known categories of a categorical feature; others are unseen
 * @param missingShare the reference's share of missing values (missing / rows), in [0, 1]
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Constraints(Double min, Double max, List<String> categories, Double missingShare)
    implements Serializable {

  public Constraints {
    categories = categories == null ? null : List.copyOf(categories);
  }

  /** No constraints. */
  public static final Constraints NONE = new Constraints(null, null, null, null);

  /**
   * What {@code driftline baseline build} suggests for a feature of the reference: the range of its
   * values, every category it saw (sorted), its share of missing cells; a bound the profile cannot
   * give is absent (no values, no rows).
   */
  public static Constraints suggest(FeatureBaseline profile) {
    long rows = profile.count() + profile.missing();
    Double missingShare = rows > 0 ? (double) profile.missing() / rows : null;
    NumericSummary numeric = profile.numeric();
    List<String> categories = profile.categories() == null ? null
        : profile.categories().keySet().stream().sorted().toList();
    return new Constraints(numeric == null ? null : numeric.min(), numeric == null ? null : numeric.max(),
        categories, missingShare);
  }

  /** These constraints with each field {@code override} sets replacing this one's. */
  public Constraints overriddenBy(Constraints override) {
    if (override == null) {
      return this;
    }
    return new Constraints(
        override.min != null ? override.min : min,
        override.max != null ? override.max : max,
        override.categories != null ? override.categories : categories,
        override.missingShare != null ? override.missingShare : missingShare);
  }
}
