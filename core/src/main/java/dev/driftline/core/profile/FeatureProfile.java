package dev.driftline.core.profile;

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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureProfile(
    String type, long count, long missing, NumericSummary numeric, Map<String, Long> categories) {}
