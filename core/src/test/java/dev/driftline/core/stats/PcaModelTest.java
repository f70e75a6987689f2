package dev.driftline.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.io.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcaModelTest {
  private static final double NA = Double.NaN;
  /** Two strongly correlated features and one independent one; one missing value. */
  private static final double[][] ROWS = {
      {1.0, 2.0, 0.5}, {2.0, 4.1, 0.1}, {3.0, 6.2, 0.9}, {4.0, 7.9, NA},
      {5.0, 10.3, 0.2}, {6.0, 11.8, 0.8}, {7.0, 14.2, 0.3}, {8.0, 15.9, 0.6}, {9.0, 18.0, 0.4}};
  private static final List<String> FEATURES = List.of("a", "b", "c");

  // numpy 2.4: m = nanmean(X, 0); Xi = where(isnan(X), m, X); s = Xi.std(0, ddof=1); Z = (Xi - m) / s
  // w, V = eigh(corrcoef(Xi, rowvar=False)), sorted descending; W = V[:, :k]
  // err = norm(Z - Z @ W @ W.T, axis=1); chunks = err[:8].reshape(2, 4).mean(1); mean ± 3 * chunks.std()
  @Test
  void matchesNumpyOnASmallMatrix() {
    PcaModel model = PcaModel.fit(FEATURES, ROWS, 0.65, 4);

    assertThat(model.means()).containsExactly(new double[] {5.0, 10.044444444444444, 0.475}, within(1e-12));
    assertThat(model.eigenvalues()).containsExactly(
        new double[] {2.00168046e+00, 9.97948627e-01, 3.70913374e-04}, within(1e-8));
    assertThat(model.componentCount()).isEqualTo(1); // 2.0017 / 3 = 0.667 reaches 0.65
    double[] expected = {0.19088461, 1.35097992, 1.6587332, 0.03196259, 1.04501972, 1.21057407, 0.71273262,
        0.40361024, 0.37961876};
    for (int r = 0; r < ROWS.length; r++) {
      assertThat(model.reconstructionError(ROWS[r])).as("row %d", r).isCloseTo(expected[r], within(1e-7));
    }
    assertThat(model.chunks()).isEqualTo(2);
    assertThat(model.chunkMean()).isCloseTo((0.80814008 + 0.84298416) / 2, within(1e-7));
    assertThat(model.lower()).isCloseTo(0.7732959956655999, within(1e-7));
    assertThat(model.upper()).isCloseTo(0.8778282473460707, within(1e-7));
    // b no longer follows a: far from the reference's subspace
    assertThat(model.reconstructionError(new double[] {2.0, 18.0, 0.5})).isCloseTo(1.8091703784319844, within(1e-7));
  }

  @Test
  void keepsMoreComponentsForALargerShare() {
    PcaModel model = PcaModel.fit(FEATURES, ROWS, 0.7, 4);

    assertThat(model.componentCount()).isEqualTo(2);
    // numpy: W2 = V[:, :2]; norm(Z - Z @ W2 @ W2.T, axis=1)[:3]
    assertThat(model.reconstructionError(ROWS[0])).isCloseTo(0.01008094, within(1e-7));
    assertThat(model.reconstructionError(ROWS[1])).isCloseTo(0.00940428, within(1e-7));
    assertThat(model.reconstructionError(ROWS[2])).isCloseTo(0.03204452, within(1e-7));
  }

  @Test
  void flagsWindowMeansOutsideTheChunkBand() {
    PcaModel model = PcaModel.fit(FEATURES, ROWS, 0.65, 4);

    assertThat(model.isDrift(0.80)).isFalse();
    assertThat(model.isDrift(0.77)).isTrue();
    assertThat(model.isDrift(0.88)).isTrue();
  }

  @Test
  void sameRowsGiveTheSameJson() throws Exception {
    String first = Json.mapper().writeValueAsString(PcaModel.fit(FEATURES, ROWS, 0.65, 4));
    String second = Json.mapper().writeValueAsString(PcaModel.fit(FEATURES, ROWS.clone(), 0.65, 4));

    assertThat(first).isEqualTo(second).contains("\"chunk_size\":4");
    PcaModel read = Json.mapper().readValue(first, PcaModel.class);
    assertThat(read.problem()).isNull();
    assertThat(read.reconstructionError(ROWS[2])).isCloseTo(1.6587332, within(1e-7));
  }

  @Test
  void rejectsTooFewChunksNamingTheSizes() {
    assertThatThrownBy(() -> PcaModel.fit(FEATURES, ROWS, 0.65, 5))
        .hasMessage("pca: chunk_size: expected at least 2 full chunks of at least 2 rows, got 9 rows in chunks of 5");
    assertThatThrownBy(() -> PcaModel.fit(FEATURES, ROWS, 0, 4))
        .hasMessage("pca: variance_share: expected a share in (0, 1], got 0.0");
  }
}
