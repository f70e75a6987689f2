package dev.driftline.core.drift;

import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.stats.MultipleTestingMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a feature's configured drift tests against its reference. Stateless; the same code serves
 * the batch report and the streaming job's window end. What each test computes is in its own class
 * (see {@link DriftTests}).
 */
public final class DriftEvaluator {
  private DriftEvaluator() {}

  /** Numeric feature: {@code current} holds the window's non-missing values (not modified). */
  public static List<FeatureDrift> numeric(
      String feature, NumericSummary reference, long nReference, double[] current, List<DriftTestSpec> tests) {
    if (current.length == 0) {
      throw new IllegalArgumentException(feature + ": no current values");
    }
    return numeric(feature, reference, nReference, NumericSample.of(current), tests);
  }

  /** Numeric feature against a sample that may be exact or coarsened. */
  public static List<FeatureDrift> numeric(
      String feature, NumericSummary reference, long nReference, NumericSample current, List<DriftTestSpec> tests) {
    List<FeatureDrift> out = new ArrayList<>();
    for (DriftTestSpec t : tests) {
      out.add(t.test().numeric(feature, reference, nReference, current, t));
    }
    return out;
  }

  /** Categorical feature: counts per category, reference and current. */
  public static List<FeatureDrift> categorical(
      String feature, Map<String, Long> reference, Map<String, Long> current, List<DriftTestSpec> tests) {
    long nCur = current.values().stream().mapToLong(Long::longValue).sum();
    if (nCur == 0) {
      throw new IllegalArgumentException(feature + ": no current values");
    }
    List<FeatureDrift> out = new ArrayList<>();
    for (DriftTestSpec t : tests) {
      out.add(t.test().categorical(feature, reference, current, t));
    }
    return out;
  }

  /**
   * Applies multiple-testing control across every p-value result of one model and window, and
   * re-reads each p-value test's drift flag on its adjusted p-value. Distance tests pass through.
   */
  public static List<FeatureDrift> adjust(List<FeatureDrift> results, MultipleTestingMethod method) {
    int[] index = new int[results.size()];
    int m = 0;
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).pValue() != null) {
        index[m++] = i;
      }
    }
    double[] p = new double[m];
    for (int j = 0; j < m; j++) {
      p[j] = results.get(index[j]).pValue();
    }
    double[] adjusted = m == 0 ? p : method.adjust(p);
    List<FeatureDrift> out = new ArrayList<>(results);
    for (int j = 0; j < m; j++) {
      FeatureDrift r = results.get(index[j]);
      out.set(index[j], r.withAdjusted(adjusted[j], adjusted[j] < r.threshold()));
    }
    return out;
  }
}
