package dev.driftline.core.quality;

import dev.driftline.core.drift.NumericSample;
import java.util.Map;

/**
 * What a window holds about one feature, for the data-quality checks.
 *
 * @param rows the window's predictions (every prediction has a cell for every feature)
 * @param missing cells without a usable value: null ones and those of the wrong type
 * @param wrongType cells whose value had the wrong type (a string for a numeric feature, a number
 *     or object for a categorical one); counted in {@code missing} too
 * @param values a numeric feature's values; null for categorical features and when it has none
 * @param categories a categorical feature's count per category; null for numeric features
 */
public record FeatureQuality(long rows, long missing, long wrongType, NumericSample values,
    Map<String, Long> categories) {

  public FeatureQuality {
    if (rows < 0 || missing < 0 || wrongType < 0 || missing > rows || wrongType > missing) {
      throw new IllegalArgumentException("expected 0 <= wrong type <= missing <= rows, got " + wrongType + ", "
          + missing + ", " + rows);
    }
  }

  /** Cells with a usable value. */
  public long present() {
    return rows - missing;
  }
}
