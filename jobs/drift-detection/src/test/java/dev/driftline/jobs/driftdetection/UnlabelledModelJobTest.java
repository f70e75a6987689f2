package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.services.FlinkTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A model whose spec says {@code labels: none} pays no label join: its predictions go round it,
 * still counted in its performance windows (no labels, so no coverage), and every label sent for
 * it anyway is a dead letter at once, saying why; none waits for a prediction.
 */
class UnlabelledModelJobTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final String PREFIX = "nolabels";
  static final Instant START = Instant.parse("2026-11-03T00:00:00Z");
  static final long WINDOW = Duration.ofMinutes(10).toMillis();

  @Test
  void predictionsSkipTheJoinAndLabelsAreDeadLettersSayingWhy(@InjectMiniCluster MiniCluster cluster) throws Exception {
    String yaml = Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
        .replaceAll("(?s)\nreference:.*?\nwindow:", "\nreference: {source: previous_window}\n\nwindow:")
        // idle_timeout longer than the run: a partition read a little after the other is never taken
        // for idle, so none of its predictions arrives behind the watermark.
        .replaceAll("(?s)\nwindow:.*?\ntests:", "\nwindow: {size: 10m, allowed_lateness: 10m, max_out_of_orderness: 30s, idle_timeout: 5m}\n\ntests:")
        .replaceAll("(?m)^labels:\\n  max_delay:.*$", "labels: none");
    MonitorSpec spec = MonitorSpecParser.parse("credit-default-no-labels.yaml", yaml);
    assertThat(spec.labelled()).isFalse();
    List<TrafficEvent> events = new ArrayList<>();
    new TrafficGenerator(TrafficConfig.of(spec, START, Duration.ofHours(1), 0.5, 11).withLabels(Duration.ofMinutes(2), 0.1))
        .forEachRemaining(events::add);
    TreeSet<String> labelIds = new TreeSet<>();
    Map<String, Long> predictionsPerWindow = new TreeMap<>();
    for (TrafficEvent e : events) {
      if (e.type() == TrafficEvent.Type.LABEL) {
        labelIds.add(e.body().get("prediction_id").asText());
      } else {
        predictionsPerWindow.merge(Instant.ofEpochMilli(e.ts() / WINDOW * WINDOW).toString(), 1L, Long::sum);
      }
    }
    assertThat(labelIds).hasSizeGreaterThan(1_000);

    Map<String, List<String>> outputs = InMemoryDriftRun.run(cluster, PREFIX, InMemoryDriftRun.Settings.defaults(), spec, Map.of(),
        events);

    List<JsonNode> deadLetters = InMemoryDriftRun.parsed(outputs.get("dead-letters"));
    assertThat(deadLetters).extracting(d -> d.path("stage").asText()).containsOnly("join:labels");
    // Each keeps the label's record as it was read: its key (the model id), value and position.
    assertThat(deadLetters).extracting(UnlabelledModelJobTest::labelId).containsExactlyInAnyOrderElementsOf(labelIds);
    assertThat(deadLetters).allSatisfy(d -> assertThat(List.of(d.path("key").asText(), d.path("topic").asText()))
        .containsExactly("credit-default", PREFIX + "-labels"));
    assertThat(deadLetters).extracting(d -> d.path("partition").asInt() + "@" + d.path("offset").asLong())
        .doesNotHaveDuplicates().noneMatch(p -> p.startsWith("-1"));
    String id = labelIds.first();
    assertThat(deadLetters).filteredOn(d -> labelId(d).equals(id)).extracting(d -> d.path("reason").asText())
        .containsExactly("model \"credit-default\" has labels: none in its monitor spec; label for prediction \""
            + id + "\" not joined");

    Map<String, JsonNode> lastAll = new TreeMap<>();
    for (JsonNode r : InMemoryDriftRun.parsed(outputs.get("performance"))) {
      assertThat(r.path("labelled").asLong()).as("performance document %s", r).isZero();
      if (r.path("segment").asText().equals(DriftResult.ALL_SEGMENTS) && !r.path("estimated").asBoolean()) {
        lastAll.put(r.path("window_start").asText(), r);
      }
    }
    Map<String, Long> counted = new TreeMap<>();
    lastAll.forEach((start, r) -> counted.put(start, r.path("predictions").asLong()));
    assertThat(counted).isEqualTo(predictionsPerWindow);
  }

  /** The prediction id in a dead letter's value: the label record's own JSON. */
  static String labelId(JsonNode deadLetter) {
    try {
      return Json.mapper().readTree(deadLetter.path("value").asText()).path("prediction_id").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
