package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.stats.ChiSquare;
import dev.driftline.core.stats.ChiSquareResult;
import dev.driftline.core.synth.DriftInjection;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label drift end to end on the real services: the credit-default classifier against a profile
 * with a label column, generated traffic whose labels' log-odds rise by 2 after 90 minutes
 * (features and scores unchanged), labels 5 minutes late on average. The {@code __label__} results
 * are checked against a batch recomputation of each window's labels.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class LabelDriftJobTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();
  @TempDir static Path dir;

  // A week of its own: DriftJobMetricsTest writes 2026-10-05 with the same model to the same node.
  static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
  /** The month of the drift index the traffic's results go to. */
  static final String MONTH = java.time.format.DateTimeFormatter.ofPattern("yyyy.MM").withZone(java.time.ZoneOffset.UTC).format(START);
  static final Duration LENGTH = Duration.ofHours(3);
  static final Instant SHIFT = START.plus(Duration.ofMinutes(90));
  static final long WINDOW = Duration.ofMinutes(10).toMillis();
  static final int WINDOWS = 18;
  static MonitorSpec spec;
  static BaselineFile profile;
  static final List<TrafficEvent> events = new ArrayList<>();
  static final Map<String, List<JsonNode>> kafkaOut = new HashMap<>();
  static ElasticsearchClient es;

  @BeforeAll
  static void runJobOnGeneratedTraffic() throws Exception {
    // The sources are bounded: their end moves the watermark on, not idleness. A short idle timeout
    // let a labels source starved for 2 s on a loaded machine fall behind the predictions' watermark.
    String yaml = DriftTraffic.exampleYaml("{size: 10m, max_out_of_orderness: 30s, idle_timeout: 1m}");
    spec = MonitorSpecParser.parse("credit-default-label-test.yaml", yaml);
    profile = TrainingProfiles.build(spec, START.minus(Duration.ofDays(2)), Duration.ofHours(3), 1, START, dir, true);
    assertThat(profile.label().categories()).containsOnlyKeys("0", "1");

    new TrafficGenerator(TrafficConfig.of(spec, START, LENGTH, 1, 3)
        .withReference(profile)
        .withLabels(Duration.ofMinutes(5), 0.05)
        .withDrifts(List.of(DriftInjection.parse("label@90m:shift=2", spec, START, LENGTH))))
        .forEachRemaining(events::add);

    BoundedDriftJob.produce("ld", events);
    ElasticsearchConfig esConfig = BoundedDriftJob.run("ld", spec, Map.of(spec.modelId(), Baseline.fromProfile(profile, spec)));
    KafkaBroker broker = KafkaExtension.broker();

    // At least: per window, KS and PSI of 8 numeric features and the score, chi-square and PSI of 4
    // categorical ones, and chi-square and PSI of the label; and one performance result.
    Map<String, Integer> atLeast = Map.of("ld-drift", WINDOWS * (9 * 2 + 4 * 2 + 2), "ld-performance", WINDOWS);
    for (String topic : List.of("ld-drift", "ld-performance")) {
      List<JsonNode> records = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(broker.bootstrapServers(), topic, atLeast.get(topic))) {
        records.add(Json.mapper().readTree(r.value()));
      }
      kafkaOut.put(topic, records);
    }
    es = esConfig.newClient();
    es.indices().refresh(r -> r.index("driftline-*"));
  }

  /** Per window start: the label counts {negatives, positives} and the predictions, from the generated events. */
  static Map<String, long[]> batchLabelsPerWindow() {
    Map<String, Long> windowOf = new HashMap<>();
    Map<String, long[]> out = new TreeMap<>();
    for (TrafficEvent e : events) {
      String id = e.body().get("prediction_id").asText();
      if (e.type() == TrafficEvent.Type.PREDICTION) {
        long start = e.ts() / WINDOW * WINDOW;
        windowOf.put(id, start);
        out.computeIfAbsent(Instant.ofEpochMilli(start).toString(), k -> new long[3])[2]++;
      } else {
        long[] c = out.get(Instant.ofEpochMilli(windowOf.get(id)).toString());
        c[e.body().get("label").asInt()]++;
      }
    }
    return out;
  }

  /** The last emission of each all-segment {@code __label__} result of {@code test}, by window start. */
  static Map<String, JsonNode> lastLabelResults(String test) {
    Map<String, JsonNode> last = new TreeMap<>();
    for (JsonNode r : kafkaOut.get("ld-drift")) {
      if (r.get("feature").asText().equals("__label__") && r.get("test").asText().equals(test)
          && r.get("segment").asText().equals("__all__")) {
        last.put(r.get("window_start").asText(), r);
      }
    }
    return last;
  }

  @Test
  void flagsLabelDriftOnlyAfterTheLabelShift() {
    Map<String, JsonNode> chi2 = lastLabelResults("chi2");
    Map<String, JsonNode> psi = lastLabelResults("psi");
    assertThat(chi2).hasSize(WINDOWS);
    assertThat(psi).hasSize(WINDOWS);
    for (var e : chi2.entrySet()) {
      boolean after = !Instant.parse(e.getKey()).isBefore(SHIFT);
      assertThat(e.getValue().get("drift").asBoolean()).as("label chi2 in window " + e.getKey()).isEqualTo(after);
      assertThat(e.getValue().get("feature_type").asText()).isEqualTo("label");
      // The positive rate goes from about 0.32 to about 0.68 (PSI about 0.54 in expectation).
      double p = psi.get(e.getKey()).get("statistic").asDouble();
      if (after) {
        assertThat(p).as("label psi in window " + e.getKey()).isGreaterThan(0.25);
      } else {
        assertThat(p).as("label psi in window " + e.getKey()).isLessThan(0.1);
      }
    }
    // Earlier emissions, on the labels known then, already see the shift once they have a few hundred.
    for (JsonNode r : kafkaOut.get("ld-drift")) {
      if (r.get("feature").asText().equals("__label__") && r.get("test").asText().equals("chi2")
          && !Instant.parse(r.get("window_start").asText()).isBefore(SHIFT) && r.get("n_current").asLong() >= 200) {
        assertThat(r.get("drift").asBoolean()).as(r.toString()).isTrue();
      }
    }
  }

  @Test
  void finalLabelResultsEqualABatchRecomputationWithFullCoverage() {
    Map<String, long[]> batch = batchLabelsPerWindow();
    Map<String, Long> reference = new TreeMap<>(profile.label().categories());
    Map<String, JsonNode> performance = new LinkedHashMap<>();
    kafkaOut.get("ld-performance").stream().filter(r -> r.get("segment").asText().equals("__all__"))
        .forEach(r -> performance.put(r.get("window_start").asText(), r));
    Map<String, JsonNode> chi2 = lastLabelResults("chi2");
    for (var e : chi2.entrySet()) {
      long[] c = batch.get(e.getKey());
      ChiSquareResult expected = ChiSquare.homogeneity(reference, Map.of("0", c[0], "1", c[1]));
      JsonNode r = e.getValue();
      assertThat(r.get("statistic").asDouble()).as(e.getKey()).isEqualTo(expected.statistic());
      assertThat(r.get("p_value").asDouble()).as(e.getKey()).isEqualTo(expected.pValue());
      assertThat(r.get("n_current").asLong()).isEqualTo(c[0] + c[1]);
      assertThat(r.get("n_reference").asLong()).isEqualTo(reference.values().stream().mapToLong(Long::longValue).sum());
      assertThat(r.get("label_coverage").asDouble()).as(e.getKey()).isEqualTo((double) (c[0] + c[1]) / c[2])
          .isEqualTo(performance.get(e.getKey()).get("label_coverage").asDouble()).isGreaterThan(0.9);
      assertThat(r.get("reference_id").asText()).isEqualTo(profile.profileId());
    }
  }

  @Test
  void reEmissionsCarryRisingCoverageAndElasticsearchKeepsTheLast() throws Exception {
    Map<String, List<Double>> coverages = new TreeMap<>();
    Map<String, JsonNode> lastById = new HashMap<>();
    for (JsonNode r : kafkaOut.get("ld-drift")) {
      if (r.get("feature").asText().equals("__label__")) {
        String id = String.join("|", r.get("model_id").asText(), r.get("segment").asText(), "__label__",
            r.get("test").asText(), r.get("window_start").asText(), r.get("window_end").asText());
        lastById.put(id, r);
        if (r.get("test").asText().equals("chi2") && r.get("segment").asText().equals("__all__")) {
          coverages.computeIfAbsent(r.get("window_start").asText(), k -> new ArrayList<>())
              .add(r.get("label_coverage").asDouble());
        }
      } else {
        assertThat(r.has("label_coverage")).isFalse();
      }
    }
    // Each emission of a window knows at least the labels of the one before. (How many come before
    // the window closes depends on how far the job read the labels topic ahead of the predictions.)
    assertThat(coverages).hasSize(WINDOWS).allSatisfy((window, c) -> assertThat(c).as(window).isSorted());
    Map<String, JsonNode> indexed = new HashMap<>();
    var response = es.search(s -> s.index(DriftOutputs.DRIFT_INDEX_PREFIX + MONTH).size(10_000)
        .query(q -> q.term(t -> t.field("feature").value("__label__"))), ObjectNode.class);
    for (Hit<ObjectNode> hit : response.hits().hits()) {
      indexed.put(hit.id(), hit.source());
    }
    assertThat(indexed.keySet()).isEqualTo(lastById.keySet());
    // An emission with no label more than the one before differs from it only in computed_at, and
    // the sink's concurrent bulk requests may land the two in either order.
    indexed.forEach((id, doc) -> assertThat(withoutComputedAt(doc)).as(id).isEqualTo(withoutComputedAt(lastById.get(id))));
  }

  static JsonNode withoutComputedAt(JsonNode doc) {
    ObjectNode copy = doc.deepCopy();
    copy.remove("computed_at");
    return copy;
  }
}
