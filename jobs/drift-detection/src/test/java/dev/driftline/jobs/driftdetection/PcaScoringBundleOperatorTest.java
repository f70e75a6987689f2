package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.window.WindowDrift;
import dev.driftline.core.window.WindowSummary;
import dev.driftline.jobs.driftdetection.operators.BaselineDecoder;
import dev.driftline.jobs.driftdetection.operators.PcaScoringBundleOperator;
import dev.driftline.jobs.driftdetection.operators.WindowPartial;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local summaries score each prediction with its model's newest profile, and a window records
 * which: on Flink's operator harness, a profile published in the middle of a window leaves that
 * window untested, the next one is scored and tested against the new profile, and the new profile
 * survives a restore.
 */
class PcaScoringBundleOperatorTest {
  static final long WINDOW = 600_000;
  static final ModelRegistry MODELS = new ModelRegistry(List.of(CorrelatedTraffic.WITH_PCA));

  @TempDir Path dir;
  BaselineFile older;
  BaselineFile atStart;
  BaselineFile published;
  final Random random = new Random(7);

  @BeforeEach
  void profiles() throws Exception {
    older = CorrelatedTraffic.profile(CorrelatedTraffic.WITH_PCA, CorrelatedTraffic.rows(2_000, 0.8, random),
        Instant.parse("2026-10-01T00:00:00Z"), dir);
    atStart = CorrelatedTraffic.profile(CorrelatedTraffic.WITH_PCA, CorrelatedTraffic.rows(2_000, 0.8, random),
        Instant.parse("2026-10-02T00:00:00Z"), dir);
    published = CorrelatedTraffic.profile(CorrelatedTraffic.WITH_PCA, CorrelatedTraffic.rows(2_000, 0.5, random),
        Instant.parse("2026-10-03T00:00:00Z"), dir);
  }

  private TwoInputStreamOperatorTestHarness<dev.driftline.core.events.Prediction, BaselineDecoder.PublishedBaseline,
      WindowPartial<WindowSummary>> harness() throws Exception {
    return new TwoInputStreamOperatorTestHarness<>(new PcaScoringBundleOperator(MODELS,
        Map.of(CorrelatedTraffic.MODEL, Baseline.fromProfile(atStart, CorrelatedTraffic.WITH_PCA)), 1_000, 100));
  }

  private static BaselineDecoder.PublishedBaseline publish(BaselineFile p) {
    return new BaselineDecoder.PublishedBaseline(p.modelId(), p.profileId(), p.createdAt(),
        dev.driftline.core.io.Json.bytes(p));
  }

  /** Adds {@code n} predictions at the start of window {@code w}; returns their rows. */
  private List<double[]> add(TwoInputStreamOperatorTestHarness<dev.driftline.core.events.Prediction, ?, ?> h, int w, int n)
      throws Exception {
    List<double[]> rows = new ArrayList<>();
    for (double[] row : CorrelatedTraffic.rows(n, 0.8, random)) {
      long ts = w * WINDOW + rows.size();
      h.processElement1(new StreamRecord<>(CorrelatedTraffic.prediction("p" + w + "-" + rows.size(), ts, row), ts));
      rows.add(row);
    }
    return rows;
  }

  @SuppressWarnings("unchecked")
  private static WindowSummary partial(TwoInputStreamOperatorTestHarness<?, ?, WindowPartial<WindowSummary>> h) {
    List<WindowSummary> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        out.add(((WindowPartial<WindowSummary>) r.getValue()).summary());
      }
    }
    h.getOutput().clear();
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  private static double meanError(BaselineFile p, List<double[]> rows) {
    return rows.stream().mapToDouble(r -> p.pca().reconstructionError(CorrelatedTraffic.features(r))).sum() / rows.size();
  }

  @Test
  void aProfilePublishedWithinAWindowLeavesItUntestedAndScoresTheNext() throws Exception {
    Baseline startBaseline = Baseline.fromProfile(atStart, CorrelatedTraffic.WITH_PCA);
    Baseline publishedBaseline = Baseline.fromProfile(published, CorrelatedTraffic.WITH_PCA);
    try (var h = harness()) {
      h.open();
      List<double[]> first = add(h, 0, 3);
      h.processWatermark1(new Watermark(WINDOW - 1));
      WindowSummary scoredAtStart = partial(h);
      assertThat(scoredAtStart.reconstruction().profileId()).isEqualTo(atStart.profileId());
      assertThat(scoredAtStart.reconstruction().mean()).isCloseTo(meanError(atStart, first), within(1e-12));
      assertThat(WindowDrift.pcaUntested(startBaseline, scoredAtStart)).isNull();

      add(h, 1, 2);
      h.processElement2(new StreamRecord<>(publish(published)));
      h.processElement2(new StreamRecord<>(publish(older))); // older than the one kept: ignored
      add(h, 1, 2);
      h.processWatermark1(new Watermark(2 * WINDOW - 1));
      WindowSummary mixed = partial(h);
      assertThat(mixed.reconstruction().count()).isEqualTo(4);
      assertThat(mixed.reconstruction().profileId()).isEqualTo(WindowSummary.ReconstructionErrors.MIXED);
      assertThat(WindowDrift.pcaUntested(publishedBaseline, mixed))
          .isEqualTo("its predictions were scored against more than one profile");
      assertThat(WindowDrift.evaluate(CorrelatedTraffic.WITH_PCA, publishedBaseline, mixed))
          .noneMatch(d -> d.test().equals("pca_reconstruction"));

      List<double[]> third = add(h, 2, 3);
      h.processWatermark1(new Watermark(3 * WINDOW - 1));
      WindowSummary scoredPublished = partial(h);
      assertThat(scoredPublished.reconstruction().profileId()).isEqualTo(published.profileId());
      assertThat(scoredPublished.reconstruction().mean()).isCloseTo(meanError(published, third), within(1e-12));
      assertThat(WindowDrift.pcaUntested(startBaseline, scoredPublished)).isEqualTo(
          "its predictions were scored against profile " + published.profileId() + ", expected " + atStart.profileId());
      assertThat(WindowDrift.evaluate(CorrelatedTraffic.WITH_PCA, publishedBaseline, scoredPublished))
          .filteredOn(d -> d.test().equals("pca_reconstruction")).singleElement()
          .satisfies(d -> assertThat(d.statistic()).isCloseTo(meanError(published, third), within(1e-12)));

      OperatorSubtaskState snapshot = h.snapshot(1, 1);
      try (var restored = harness()) {
        restored.initializeState(snapshot);
        restored.open();
        List<double[]> fourth = add(restored, 3, 2);
        restored.processWatermark1(new Watermark(4 * WINDOW - 1));
        WindowSummary afterRestore = partial(restored);
        assertThat(afterRestore.reconstruction().profileId()).isEqualTo(published.profileId());
        assertThat(afterRestore.reconstruction().mean()).isCloseTo(meanError(published, fourth), within(1e-12));
      }
    }
  }
}
