package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.window.WindowSummary;
import dev.driftline.jobs.driftdetection.operators.BaselineDecoder;
import dev.driftline.jobs.driftdetection.operators.DriftEvaluationFunction;
import dev.driftline.jobs.driftdetection.operators.PcaCountWindowFunction;
import dev.driftline.jobs.driftdetection.operators.SegmentFanOut;
import dev.driftline.jobs.driftdetection.state.ClosedWindow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Count windows score each prediction with its model's newest profile as the watermark releases it:
 * on Flink's operator harness, the profile given at start, then a newer one published on the
 * baselines topic (an older one arriving later is ignored), which a restore keeps, with the open
 * window's errors so far.
 */
class PcaCountWindowFunctionTest {
  static final int COUNT = 4;
  static final MonitorSpec SPEC = MonitorSpecParser.parse("correlated-count.yaml", CorrelatedTraffic.SPEC
      .replace("window: {size: 10m,", "window: {type: count, count: " + COUNT + ",") + "\npca: {chunk_size: 500}");
  static final ModelRegistry MODELS = new ModelRegistry(List.of(SPEC));

  @TempDir Path dir;
  BaselineFile older;
  BaselineFile atStart;
  BaselineFile published;
  final Random random = new Random(8);
  int sent;

  @BeforeEach
  void profiles() throws Exception {
    older = CorrelatedTraffic.profile(SPEC, CorrelatedTraffic.rows(2_000, 0.8, random), Instant.parse("2026-10-01T00:00:00Z"), dir);
    atStart = CorrelatedTraffic.profile(SPEC, CorrelatedTraffic.rows(2_000, 0.8, random), Instant.parse("2026-10-02T00:00:00Z"), dir);
    published = CorrelatedTraffic.profile(SPEC, CorrelatedTraffic.rows(2_000, 0.5, random), Instant.parse("2026-10-03T00:00:00Z"), dir);
  }

  private KeyedBroadcastOperatorTestHarness<String, Prediction, BaselineDecoder.PublishedBaseline, ClosedWindow> harness()
      throws Exception {
    return new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
        new PcaCountWindowFunction(MODELS, Map.of(CorrelatedTraffic.MODEL, Baseline.fromProfile(atStart, SPEC))),
        List.of(DriftEvaluationFunction.BASELINES)), (Prediction p) -> SegmentFanOut.key(p.modelId(), p.segment()),
        Types.STRING, 1, 1, 0);
  }

  private static BaselineDecoder.PublishedBaseline publish(BaselineFile p) {
    return new BaselineDecoder.PublishedBaseline(p.modelId(), p.profileId(), p.createdAt(), Json.bytes(p));
  }

  /** Sends {@code n} predictions, one millisecond apart after those sent before, then a watermark at the last; returns their rows. */
  private List<double[]> send(KeyedBroadcastOperatorTestHarness<String, Prediction, ?, ?> h, int n) throws Exception {
    List<double[]> rows = new ArrayList<>();
    for (double[] row : CorrelatedTraffic.rows(n, 0.8, random)) {
      long ts = ++sent;
      h.processElement(new StreamRecord<>(new Prediction(CorrelatedTraffic.MODEL, "p" + ts, ts, null, DriftResult.ALL_SEGMENTS,
          CorrelatedTraffic.features(row), new String[4], row[4], null), ts));
      rows.add(row);
    }
    h.processWatermark(new Watermark(sent));
    return rows;
  }

  private static List<WindowSummary> closed(KeyedBroadcastOperatorTestHarness<?, ?, ?, ClosedWindow> h) {
    List<WindowSummary> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        out.add(((ClosedWindow) r.getValue()).summary());
      }
    }
    h.getOutput().clear();
    return out;
  }

  private static double meanError(BaselineFile p, List<double[]> rows) {
    return rows.stream().mapToDouble(r -> p.pca().reconstructionError(CorrelatedTraffic.features(r))).sum() / rows.size();
  }

  @Test
  void scoresWithTheNewestProfileAndKeepsItAndTheOpenWindowAcrossARestore() throws Exception {
    OperatorSubtaskState snapshot;
    List<double[]> beforeRestore;
    try (var h = harness()) {
      h.open();
      // The baselines carry no event time: their watermark is the end of time, so the predictions' alone counts.
      h.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
      List<double[]> first = send(h, COUNT);
      WindowSummary scoredAtStart = closed(h).get(0);
      assertThat(scoredAtStart.count()).isEqualTo(COUNT);
      assertThat(scoredAtStart.reconstruction().profileId()).isEqualTo(atStart.profileId());
      assertThat(scoredAtStart.reconstruction().count()).isEqualTo(COUNT);
      assertThat(scoredAtStart.reconstruction().mean()).isCloseTo(meanError(atStart, first), within(1e-12));

      h.processBroadcastElement(new StreamRecord<>(publish(published)));
      h.processBroadcastElement(new StreamRecord<>(publish(older))); // older than the one kept: ignored
      List<double[]> second = send(h, COUNT);
      WindowSummary scoredPublished = closed(h).get(0);
      assertThat(scoredPublished.reconstruction().profileId()).isEqualTo(published.profileId());
      assertThat(scoredPublished.reconstruction().mean()).isCloseTo(meanError(published, second), within(1e-12));

      beforeRestore = send(h, 2);
      assertThat(closed(h)).isEmpty();
      snapshot = h.snapshot(1, 1);
    }
    try (var restored = harness()) {
      restored.initializeState(snapshot);
      restored.open();
      restored.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
      List<double[]> afterRestore = send(restored, 2);
      List<WindowSummary> out = closed(restored);
      assertThat(out).hasSize(1);
      List<double[]> window = new ArrayList<>(beforeRestore);
      window.addAll(afterRestore);
      assertThat(out.get(0).count()).isEqualTo(COUNT);
      assertThat(out.get(0).reconstruction().profileId()).isEqualTo(published.profileId());
      assertThat(out.get(0).reconstruction().mean()).isCloseTo(meanError(published, window), within(1e-12));
    }
  }
}
