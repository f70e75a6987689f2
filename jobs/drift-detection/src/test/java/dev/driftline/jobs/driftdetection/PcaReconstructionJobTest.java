package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.stats.PcaModel;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.services.FlinkTestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift job scores multivariate drift: with {@code pca} in the spec, windows whose features
 * stop moving together while each keeps its distribution get a {@code pca_reconstruction} result
 * that flags them, and per-feature KS does not; its statistic is the windows' mean reconstruction
 * error as {@link PcaModel} computes it on the same rows, its band in {@code threshold_lower} and
 * {@code threshold_upper}. Without {@code pca} the same traffic gives the same other results and
 * no {@code pca_reconstruction}. Count windows are scored alike.
 */
class PcaReconstructionJobTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final Instant START = Instant.parse("2026-11-03T00:00:00Z");
  static final long WINDOW = Duration.ofMinutes(10).toMillis();
  static final int PER_WINDOW = 500;
  /** Windows 0 to 2 keep the reference's correlation 0.8 in each pair, windows 3 to 5 have none. */
  static final int WINDOWS = 6;
  static final int CHANGED_FROM = 3;

  @TempDir Path dir;

  @Test
  void flagsWindowsWhoseFeaturesStopMovingTogetherAndKsDoesNot(@InjectMiniCluster MiniCluster cluster) throws Exception {
    Random random = new Random(25);
    BaselineFile profile = CorrelatedTraffic.profile(CorrelatedTraffic.WITH_PCA,
        CorrelatedTraffic.rows(10_000, 0.8, random), START.minus(Duration.ofDays(1)), dir);
    PcaModel model = profile.pca();
    assertThat(model.chunks()).isEqualTo(20);
    List<TrafficEvent> events = new ArrayList<>();
    Map<String, Double> expectedMean = windows(random, model, events);

    List<JsonNode> withPca = run(cluster, "pca-on", CorrelatedTraffic.WITH_PCA, profile, events);

    Map<String, Boolean> pcaDrift = new TreeMap<>();
    Map<String, Boolean> ksDrift = new TreeMap<>();
    for (JsonNode r : withPca) {
      String window = r.path("window_start").asText();
      if (r.path("test").asText().equals("pca_reconstruction")) {
        pcaDrift.put(window, r.path("drift").asBoolean());
        assertThat(r.path("feature").asText()).isEqualTo("__pca__");
        assertThat(r.path("feature_type").asText()).isEqualTo("multivariate");
        assertThat(r.path("statistic").asDouble()).as(window).isCloseTo(expectedMean.get(window), within(1e-9));
        assertThat(r.path("n_current").asLong()).isEqualTo(PER_WINDOW);
        assertThat(r.path("n_reference").asLong()).isEqualTo(10_000);
        assertThat(r.path("threshold_lower").asDouble()).isEqualTo(model.lower());
        assertThat(r.path("threshold_upper").asDouble()).isEqualTo(model.upper());
        assertThat(r.path("threshold").asDouble()).isEqualTo(model.upper());
        assertThat(r.path("reference_id").asText()).isEqualTo(profile.profileId());
      } else if (r.path("test").asText().equals("ks") && !r.path("feature_type").asText().equals("score")) {
        ksDrift.merge(window, r.path("drift").asBoolean(), Boolean::logicalOr);
        assertThat(r.has("threshold_lower")).as("a ks result has no band").isFalse();
      }
    }
    Map<String, Boolean> expected = new TreeMap<>();
    expectedMean.keySet().forEach(w -> expected.put(w, w.compareTo(windowStart(CHANGED_FROM)) >= 0));
    assertThat(pcaDrift).isEqualTo(expected);
    Map<String, Boolean> noKs = new TreeMap<>();
    expectedMean.keySet().forEach(w -> noKs.put(w, false));
    assertThat(ksDrift).isEqualTo(noKs);

    List<JsonNode> withoutPca = run(cluster, "pca-off", CorrelatedTraffic.WITHOUT_PCA, profile, events);

    assertThat(withoutPca).extracting(r -> r.path("test").asText()).doesNotContain("pca_reconstruction").isNotEmpty();
    assertThat(withoutPca).containsExactlyInAnyOrderElementsOf(withPca.stream()
        .filter(r -> !r.path("test").asText().equals("pca_reconstruction")).toList());
  }

  @Test
  void scoresCountWindowsAsTheBatchComputationOfTheSameRows(@InjectMiniCluster MiniCluster cluster) throws Exception {
    MonitorSpec countWindows = MonitorSpecParser.parse("correlated-count.yaml", CorrelatedTraffic.SPEC
        .replace("window: {size: 10m,", "window: {type: count, count: " + PER_WINDOW + ",") + "\npca: {chunk_size: 500}");
    assertThat(countWindows.window().isCount()).isTrue();
    Random random = new Random(26);
    BaselineFile profile = CorrelatedTraffic.profile(countWindows, CorrelatedTraffic.rows(10_000, 0.8, random),
        START.minus(Duration.ofDays(1)), dir);
    PcaModel model = profile.pca();
    // A count window is cut in (event time, prediction id) order: count window w holds time window w's rows.
    List<TrafficEvent> events = new ArrayList<>();
    Map<String, Double> expectedMean = windows(random, model, events);

    List<JsonNode> results = run(cluster, "pca-count", countWindows, profile, events);

    Map<String, Double> pcaMean = new TreeMap<>();
    Map<String, Boolean> pcaDrift = new TreeMap<>();
    for (JsonNode r : results) {
      if (r.path("test").asText().equals("pca_reconstruction")) {
        String window = r.path("window_start").asText();
        pcaMean.put(window, r.path("statistic").asDouble());
        pcaDrift.put(window, r.path("drift").asBoolean());
        assertThat(r.path("n_current").asLong()).isEqualTo(PER_WINDOW);
        assertThat(r.path("threshold_lower").asDouble()).isEqualTo(model.lower());
        assertThat(r.path("threshold_upper").asDouble()).isEqualTo(model.upper());
        assertThat(r.path("reference_id").asText()).isEqualTo(profile.profileId());
      }
    }
    assertThat(pcaMean.keySet()).containsExactlyElementsOf(expectedMean.keySet());
    expectedMean.forEach((w, mean) -> assertThat(pcaMean.get(w)).as(w).isCloseTo(mean, within(1e-9)));
    Map<String, Boolean> expected = new TreeMap<>();
    expectedMean.keySet().forEach(w -> expected.put(w, w.compareTo(windowStart(CHANGED_FROM)) >= 0));
    assertThat(pcaDrift).isEqualTo(expected);
  }

  /**
   * Adds {@link #WINDOWS} windows of {@link #PER_WINDOW} predictions, one every 1.2 s, to
   * {@code events} (correlation 0.8 in each pair before {@link #CHANGED_FROM}, none from it); returns
   * each window's mean reconstruction error under {@code model}, by window start.
   */
  private static Map<String, Double> windows(Random random, PcaModel model, List<TrafficEvent> events) {
    Map<String, Double> expectedMean = new TreeMap<>();
    for (int w = 0; w < WINDOWS; w++) {
      double[][] rows = CorrelatedTraffic.rows(PER_WINDOW, w < CHANGED_FROM ? 0.8 : 0.0, random);
      long start = START.toEpochMilli() + w * WINDOW;
      double sum = 0;
      for (int i = 0; i < rows.length; i++) {
        events.add(CorrelatedTraffic.event("p-" + w + "-" + i, start + i * (WINDOW / PER_WINDOW), rows[i]));
        sum += model.reconstructionError(CorrelatedTraffic.features(rows[i]));
      }
      expectedMean.put(Instant.ofEpochMilli(start).toString(), sum / rows.length);
    }
    return expectedMean;
  }

  private static String windowStart(int w) {
    return Instant.ofEpochMilli(START.toEpochMilli() + w * WINDOW).toString();
  }

  private static List<JsonNode> run(MiniCluster cluster, String name, MonitorSpec spec,
      BaselineFile profile, List<TrafficEvent> events) throws Exception {
    Map<String, List<String>> outputs = InMemoryDriftRun.run(cluster, name, InMemoryDriftRun.Settings.defaults(), spec,
        Map.of(spec.modelId(), Baseline.fromProfile(profile, spec)), events);
    assertThat(outputs.get("dead-letters")).isEmpty();
    return InMemoryDriftRun.parsed(outputs.get("drift")).stream()
        .filter(r -> r.path("segment").asText().equals(DriftResult.ALL_SEGMENTS)).toList();
  }
}
