package dev.driftline.core.quality;

import dev.driftline.core.baseline.Constraints;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureSpec;
import java.util.ArrayList;
import java.util.List;

/** Runs a spec's data-quality checks on one feature: for a window of the stream and for a batch report alike. */
public final class QualityChecks {
  private QualityChecks() {}

  /**
   * The results of each of {@code checks} that applies to {@code feature}'s type and has something
   * to read, in the order of {@code checks}.
   *
   * @param checks the spec's {@code data_quality} (each a {@link QualityCheck})
   * @param referenceRows the reference's rows of the feature (0 when it has none)
   */
  public static List<FeatureDrift> run(List<DriftTestSpec> checks, FeatureSpec feature, FeatureQuality window,
      Constraints constraints, long referenceRows) {
    List<FeatureDrift> out = new ArrayList<>();
    for (DriftTestSpec t : checks) {
      QualityCheck check = (QualityCheck) t.test();
      if (check.appliesTo(feature.type())) {
        FeatureDrift r = check.check(feature.name(), feature.type(), window, constraints, referenceRows, t);
        if (r != null) {
          out.add(r);
        }
      }
    }
    return out;
  }
}
