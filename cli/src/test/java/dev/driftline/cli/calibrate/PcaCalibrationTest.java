package dev.driftline.cli.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A seeded small run of the PCA table: the reconstruction error finds the correlation change in
 * nearly every window while per-feature KS and PSI stay at their no-drift rates, and without drift
 * it seldom fires.
 */
class PcaCalibrationTest {
  static final int WINDOWS = 100;
  static final int POWER_WINDOWS = 30;

  @Test
  void pcaFindsACorrelationChangeThatKsAndPsiOnEachFeatureMiss() {
    List<PcaCalibration.Row> rows = PcaCalibration.rows(20261205, WINDOWS, POWER_WINDOWS);
    System.out.print(PcaCalibration.table(rows));
    Map<String, PcaCalibration.Row> byName = rows.stream()
        .collect(Collectors.toMap(r -> r.change() + " / " + r.test(), Function.identity()));
    String change = "correlation 0.8 → 0";

    assertThat(rows).hasSize(6);
    assertThat(byName.get(change + " / pca_reconstruction").flagged()).isEqualTo(POWER_WINDOWS);
    assertThat(byName.get(change + " / ks on each feature").rate()).isLessThanOrEqualTo(0.15);
    assertThat(byName.get(change + " / psi on each feature").rate()).isLessThanOrEqualTo(0.15);
    assertThat(byName.get("none / pca_reconstruction").rate()).isLessThanOrEqualTo(0.10);
    assertThat(byName.get("none / ks on each feature").rate()).isLessThanOrEqualTo(0.15);
    // same seed, same table
    assertThat(PcaCalibration.table(PcaCalibration.rows(20261205, WINDOWS, POWER_WINDOWS)))
        .isEqualTo(PcaCalibration.table(rows));
  }
}
