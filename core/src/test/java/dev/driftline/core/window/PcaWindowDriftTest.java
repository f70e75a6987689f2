package dev.driftline.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import dev.driftline.core.baseline.Baseline;

import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.PcaFixture;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.MonitorSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcaWindowDriftTest {
  private static final MonitorSpec WITH_PCA = PcaFixture.WITH_PCA;
  private static final MonitorSpec WITHOUT = PcaFixture.WITHOUT;

  @TempDir Path dir;

  private BaselineFile profile(MonitorSpec spec) throws IOException {
    return BaselineBuilder.build(spec, PcaFixture.table(dir), Instant.parse("2026-01-01T00:00:00Z"));
  }

  private static Prediction p(int i, double a, double b, double c) {
    return new Prediction("m", "p" + i, 1000 + i, null, null, new double[] {a, Double.NaN, b, c},
        new String[] {null, "x", null, null}, 0.5, null);
  }

  @Test
  void aWindowWhoseFeaturesStopMovingTogetherDriftsAndOneThatKeepsThemDoesNot() throws IOException {
    Baseline baseline = Baseline.fromProfile(profile(WITH_PCA), WITH_PCA);
    WindowSummary same = WindowSummary.empty(WITH_PCA);
    WindowSummary broken = WindowSummary.empty(WITH_PCA);
    // rows 1, 3 and 7 of the reference, errors 0.19088461, 1.6587332 and 0.71273262 (numpy)
    same.add(p(0, 1, 2, 0.5), baseline.pca(), baseline.referenceId());
    same.add(p(1, 3, 6.2, 0.9), baseline.pca(), baseline.referenceId());
    same.add(p(2, 7, 14.2, 0.3), baseline.pca(), baseline.referenceId());
    broken.add(p(0, 2, 18, 0.5), baseline.pca(), baseline.referenceId()); // error 1.8091703784319844 (numpy)

    FeatureDrift inBand = pca(WindowDrift.evaluate(WITH_PCA, baseline, same));
    FeatureDrift outside = pca(WindowDrift.evaluate(WITH_PCA, baseline, broken));

    assertThat(inBand.statistic()).isCloseTo((0.19088461 + 1.6587332 + 0.71273262) / 3, within(1e-7));
    assertThat(inBand.drift()).isFalse();
    assertThat(inBand.threshold()).isCloseTo(0.8778282473460707, within(1e-7));
    assertThat(inBand.details()).containsEntry("components", 1);
    assertThat((double) inBand.details().get("lower")).isCloseTo(0.7732959956655999, within(1e-7));
    assertThat(inBand.nReference()).isEqualTo(8);
    assertThat(inBand.nCurrent()).isEqualTo(3);
    assertThat(outside.statistic()).isCloseTo(1.8091703784319844, within(1e-7));
    assertThat(outside.drift()).isTrue();
  }

  @Test
  void errorSumsMergeAndRoundTripIndependentlyOfOrder() throws IOException {
    Baseline baseline = Baseline.fromProfile(profile(WITH_PCA), WITH_PCA);
    WindowSummary one = WindowSummary.empty(WITH_PCA);
    WindowSummary left = WindowSummary.empty(WITH_PCA);
    WindowSummary right = WindowSummary.empty(WITH_PCA);
    List<Prediction> ps = List.of(p(0, 3, 6.2, 0.9), p(1, 4, 7.9, Double.NaN), p(2, 8, 15.9, 0.6), p(3, 2, 18, 0.5));
    for (int i = 0; i < ps.size(); i++) {
      one.add(ps.get(i), baseline.pca(), baseline.referenceId());
      (i % 2 == 0 ? right : left).add(ps.get(ps.size() - 1 - i), baseline.pca(), baseline.referenceId());
    }
    left.merge(right);

    assertThat(bytes(left)).isEqualTo(bytes(one));
    WindowSummary back = WindowSummary.read(new DataInputStream(new ByteArrayInputStream(bytes(one))));
    assertThat(back.reconstruction().count()).isEqualTo(4);
    assertThat(back.reconstruction().mean())
        .isCloseTo((1.6587332 + 0.03196259 + 0.40361024 + 1.8091703784319844) / 4, within(1e-7));
    assertThat(back.reconstruction().mean()).isEqualTo(one.reconstruction().mean());
  }

  @Test
  void aSpecWithoutPcaKeepsItsResultsAndItsBytes() throws IOException {
    BaselineFile withModel = profile(WITH_PCA);
    Baseline baseline = Baseline.fromProfile(withModel, WITHOUT);
    WindowSummary w = WindowSummary.empty(WITHOUT);
    w.add(p(0, 2, 18, 0.5), withModel.pca(), withModel.profileId());

    assertThat(baseline.pca()).isNull();
    assertThat(w.reconstruction()).isNull();
    assertThat(bytes(w)[0]).isEqualTo((byte) 3); // version 3, as before pca
    assertThat(WindowDrift.evaluate(WITHOUT, baseline, w)).extracting(FeatureDrift::test).doesNotContain("pca_reconstruction");
  }

  @Test
  void aWindowIsTestedOnlyAgainstTheProfileThatScoredEveryPrediction() throws IOException {
    Baseline baseline = Baseline.fromProfile(profile(WITH_PCA), WITH_PCA);
    String id = baseline.referenceId();
    WindowSummary other = WindowSummary.empty(WITH_PCA);
    other.add(p(0, 1, 2, 0.5), baseline.pca(), "m@other");
    WindowSummary partly = WindowSummary.empty(WITH_PCA);
    partly.add(p(0, 1, 2, 0.5), null, null); // no model yet when it arrived
    partly.add(p(1, 3, 6.2, 0.9), baseline.pca(), id);
    WindowSummary left = WindowSummary.empty(WITH_PCA);
    WindowSummary right = WindowSummary.empty(WITH_PCA);
    left.add(p(0, 1, 2, 0.5), baseline.pca(), "m@other");
    right.add(p(1, 3, 6.2, 0.9), baseline.pca(), id);
    WindowSummary rightThenLeft = right.copy();
    rightThenLeft.merge(left);
    left.merge(right);

    assertThat(WindowDrift.pcaUntested(baseline, other))
        .isEqualTo("its predictions were scored against profile m@other, expected " + id);
    assertThat(WindowDrift.pcaUntested(baseline, partly))
        .isEqualTo("1 of its 2 predictions were scored (the rest arrived before a pca model of the profile did)");
    assertThat(left.reconstruction().profileId()).isEqualTo(WindowSummary.ReconstructionErrors.MIXED);
    assertThat(bytes(rightThenLeft)).isEqualTo(bytes(left));
    assertThat(WindowDrift.pcaUntested(baseline, left)).isEqualTo("its predictions were scored against more than one profile");
    for (WindowSummary untested : List.of(other, partly, left)) {
      assertThat(WindowDrift.evaluate(WITH_PCA, baseline, untested)).extracting(FeatureDrift::test)
          .isNotEmpty().doesNotContain("pca_reconstruction");
    }
    assertThat(WindowDrift.pcaUntested(baseline, right)).isNull();
    assertThat(WindowSummary.read(new DataInputStream(new ByteArrayInputStream(bytes(right)))).reconstruction().profileId())
        .isEqualTo(id);
  }

  @Test
  void aVersion4SummaryIsReadWithoutItsProfile() throws IOException {
    Baseline baseline = Baseline.fromProfile(profile(WITH_PCA), WITH_PCA);
    WindowSummary w = WindowSummary.empty(WITH_PCA);
    w.add(p(0, 2, 18, 0.5), baseline.pca(), baseline.referenceId());
    byte[] v5 = bytes(w);
    int idBytes = 1 + 2 + baseline.referenceId().length();
    byte[] v4 = java.util.Arrays.copyOf(v5, v5.length - idBytes);
    v4[0] = 4;

    assertThat(v5[0]).isEqualTo((byte) 5);
    WindowSummary back = WindowSummary.read(new DataInputStream(new ByteArrayInputStream(v4)));
    assertThat(back.reconstruction().count()).isEqualTo(1);
    assertThat(back.reconstruction().mean()).isCloseTo(1.8091703784319844, within(1e-7));
    assertThat(back.reconstruction().profileId()).isNull();
    assertThat(WindowDrift.pcaUntested(baseline, back))
        .isEqualTo("its summary does not record the profile its predictions were scored against");
  }

  private static FeatureDrift pca(List<FeatureDrift> results) {
    List<FeatureDrift> pca = results.stream().filter(r -> r.test().equals("pca_reconstruction")).toList();
    assertThat(pca).hasSize(1);
    assertThat(pca.get(0).feature()).isEqualTo("__pca__");
    return pca.get(0);
  }

  private static byte[] bytes(WindowSummary w) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataOutputStream d = new DataOutputStream(out)) {
      w.write(d);
    }
    return out.toByteArray();
  }
}
