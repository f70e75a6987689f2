package dev.driftline.core.baseline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The reference of one column: a numeric summary or category counts.
 *
 * @param type {@code numeric} or {@code categorical}
 * @param count non-missing values
 * @param missing empty cells
 * @param numeric null for categorical columns
 * @param categories null for numeric columns; category → count
 * @param constraints what the data-quality checks expect of the feature, as suggested by {@code
 *     driftline baseline build} (and possibly edited); null for the score and label columns and in
 *     profiles built before constraints, for which {@link Constraints#suggest} gives them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureBaseline(
    String type, long count, long missing, NumericSummary numeric, Map<String, Long> categories,
    Constraints constraints) {

  /** A column without constraints. */
  public FeatureBaseline(String type, long count, long missing, NumericSummary numeric, Map<String, Long> categories) {
    this(type, count, missing, numeric, categories, null);
  }

  /** This column with {@code c} as its constraints. */
  public FeatureBaseline withConstraints(Constraints c) {
    return new FeatureBaseline(type, count, missing, numeric, categories, c);
  }

  /** Its constraints, or (a profile built before them) those {@link Constraints#suggest} gives. */
  public Constraints constraintsOrSuggested() {
    return constraints != null ? constraints : Constraints.suggest(this);
  }
}
