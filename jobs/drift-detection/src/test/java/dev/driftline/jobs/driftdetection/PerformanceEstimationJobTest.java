package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.estimation.PerformanceEstimate;
import dev.driftline.core.estimation.PerformanceEstimator;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.stats.NumericHistogram;
import dev.driftline.core.synth.DriftInjection;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.core.window.WindowSummary;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Estimated performance through the drift job on a real Kafka broker, Elasticsearch node and Flink
 * MiniCluster: four hours of credit-default traffic in 10-minute windows (income shifted by one
 * standard deviation after the first hour), against a profile whose training data had labels; the
 * labels of the first two hours are produced, those of the last two never arrive.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class PerformanceEstimationJobTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();
  @TempDir static Path dir;

  // A month of its own: the job tests share one Elasticsearch node, a performance document keeps
  // the update with the most labels, and the test counts the month's index.
  static final Instant START = Instant.parse("2026-09-07T00:00:00Z");
  static final Instant LABELS_UNTIL = START.plus(Duration.ofHours(2));
  static final long WINDOW = Duration.ofMinutes(10).toMillis();
  static final List<String> METRICS = List.of("accuracy", "precision", "recall", "f1", "auc");
  static MonitorSpec spec;
  static BaselineFile profile;
  /** Window start → scores of its predictions. */
  static final Map<String, List<Double>> scores = new TreeMap<>();
  static final List<JsonNode> performance = new ArrayList<>();
  static ElasticsearchClient es;

  @BeforeAll
  static void runJobWithLabelsForTheFirstHalfOnly() throws Exception {
    String yaml = Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
        .replaceAll("(?s)fields:.*?classification_threshold", "fields: {entity: entity_id}\nclassification_threshold")
        .replaceAll("(?s)window:.*?tests:", "window: {size: 10m, max_out_of_orderness: 30s}\n\ntests:");
    spec = MonitorSpecParser.parse("credit-default-estimation.yaml", yaml);
    profile = TrainingProfiles.buildLabelled(spec, START.minus(Duration.ofDays(2)), Duration.ofHours(6), 1, START, dir);
    assertThat(profile.calibration().method()).isEqualTo("isotonic");

    TrafficConfig traffic = TrafficConfig.of(spec, START, Duration.ofHours(4), 1, 2)
        .withReference(profile)
        .withLabels(Duration.ofMinutes(20), 0.0)
        .withDrifts(List.of(DriftInjection.parse("income@1h:shift=1", spec, START, Duration.ofHours(4))));
    Set<String> late = new HashSet<>();
    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(2, "e-predictions", "e-labels", "e-drift", "e-performance", "e-dead-letters", "e-labelled", "e-baselines");
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      TrafficGenerator g = new TrafficGenerator(traffic);
      while (g.hasNext()) {
        TrafficEvent e = g.next();
        String id = e.body().get("prediction_id").asText();
        if (e.type() == TrafficEvent.Type.PREDICTION) {
          scores.computeIfAbsent(Instant.ofEpochMilli(e.ts() / WINDOW * WINDOW).toString(), w -> new ArrayList<>())
              .add(e.body().get("score").asDouble());
          if (e.ts() >= LABELS_UNTIL.toEpochMilli()) {
            late.add(id);
          }
          producer.send(new ProducerRecord<>("e-predictions", e.key(), e.json()));
        } else if (!late.contains(id)) {
          producer.send(new ProducerRecord<>("e-labels", e.key(), e.json()));
        }
      }
    }

    ElasticsearchConfig esConfig = BoundedDriftJob.run("e", spec, Map.of(spec.modelId(), Baseline.fromProfile(profile, spec)));

    for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(broker.bootstrapServers(), "e-performance", 1)) {
      performance.add(Json.mapper().readTree(r.value()));
    }
    es = esConfig.newClient();
    es.indices().refresh(r -> r.index("driftline-*"));
  }

  /** Window start → the last document of one kind (the topic is keyed by model: one partition, in order). */
  static Map<String, JsonNode> last(boolean estimated) {
    Map<String, JsonNode> out = new TreeMap<>();
    performance.stream().filter(r -> r.get("estimated").asBoolean() == estimated)
        .forEach(r -> out.put(r.get("window_start").asText(), r));
    return out;
  }

  @Test
  void everyWindowIsEstimatedOnceFromItsScoresAsABatchRecomputationIs() throws Exception {
    List<JsonNode> estimates = performance.stream().filter(r -> r.get("estimated").asBoolean()).toList();
    assertThat(estimates).hasSize(24);
    Map<String, JsonNode> byWindow = last(true);
    assertThat(byWindow.keySet()).isEqualTo(scores.keySet());
    for (var e : scores.entrySet()) {
      NumericHistogram h = new NumericHistogram(WindowSummary.MAX_BUCKETS);
      e.getValue().forEach(h::add);
      PerformanceEstimate batch = PerformanceEstimator.estimate(h.buckets(), Baseline.fromProfile(profile, spec).calibration(),
          0.5, profile.profileId());
      JsonNode doc = byWindow.get(e.getKey());
      assertThat(Json.mapper().treeToValue(doc.get("estimate"), PerformanceEstimate.class)).as(e.getKey()).isEqualTo(batch);
      assertThat(doc.get("labelled").asLong()).isZero();
      assertThat(doc.get("predictions").asLong()).isEqualTo(e.getValue().size());
      assertThat(doc.get("accuracy").asDouble()).isEqualTo(batch.accuracy().value());
      assertThat(doc.get("auc").asDouble()).isEqualTo(batch.auc().value());
    }
  }

  @Test
  void windowsWithoutLabelsKeepTheEstimateAndNoError() {
    Map<String, JsonNode> estimated = last(true);
    Map<String, JsonNode> realized = last(false);
    int unlabelled = 0;
    for (var e : realized.entrySet()) {
      if (Instant.parse(e.getKey()).isBefore(LABELS_UNTIL)) {
        continue;
      }
      unlabelled++;
      JsonNode r = e.getValue();
      assertThat(r.get("labelled").asLong()).isZero();
      assertThat(r.has("accuracy")).isFalse();
      assertThat(r.get("estimate")).as(e.getKey()).isEqualTo(estimated.get(e.getKey()).get("estimate"));
      assertThat(r.has("estimation_error")).isFalse();
    }
    assertThat(unlabelled).isEqualTo(12);
  }

  @Test
  void labelledWindowsCarryTheEstimateAndItsErrorBesideTheRealizedMetrics() {
    Map<String, JsonNode> estimated = last(true);
    Map<String, JsonNode> realized = last(false);
    int labelled = 0;
    int[] covered = new int[METRICS.size()];
    for (var e : realized.entrySet()) {
      if (!Instant.parse(e.getKey()).isBefore(LABELS_UNTIL)) {
        continue;
      }
      labelled++;
      JsonNode r = e.getValue();
      JsonNode estimate = r.get("estimate");
      assertThat(r.get("label_coverage").asDouble()).isEqualTo(1.0);
      assertThat(estimate).as(e.getKey()).isEqualTo(estimated.get(e.getKey()).get("estimate"));
      for (String metric : METRICS) {
        assertThat(r.get("estimation_error").get(metric).asDouble()).as(metric)
            .isEqualTo(r.get(metric).asDouble() - estimate.get(metric).get("value").asDouble());
      }
      for (int m = 0; m < METRICS.size(); m++) {
        double value = r.get(METRICS.get(m)).asDouble();
        JsonNode interval = estimate.get(METRICS.get(m));
        covered[m] += value >= interval.get("lower").asDouble() && value <= interval.get("upper").asDouble() ? 1 : 0;
      }
    }
    assertThat(labelled).isEqualTo(12);
    // Windows whose realized accuracy, precision, recall, F1, AUC lie in the estimate's interval: 92 % for accuracy.
    assertThat(covered).containsExactly(11, 12, 12, 12, 12);
  }

  @Test
  void elasticsearchHoldsEstimatedAndRealizedDocumentsUnderTheirOwnIds() throws Exception {
    Map<String, JsonNode> docs = new HashMap<>();
    var response = es.search(s -> s.index(DriftOutputs.PERFORMANCE_INDEX_PREFIX + DriftOutputs.month(START.toString()))
        .size(10_000), ObjectNode.class);
    for (Hit<ObjectNode> hit : response.hits().hits()) {
      docs.put(hit.id(), hit.source());
    }
    assertThat(docs).hasSize(48);
    Map<String, JsonNode> estimated = last(true);
    Map<String, JsonNode> realized = last(false);
    for (String start : scores.keySet()) {
      String id = String.join("|", spec.modelId(), "__all__", start, estimated.get(start).get("window_end").asText());
      assertThat(docs.get(id + "|estimated")).isEqualTo(estimated.get(start));
      assertThat(docs.get(id)).isEqualTo(realized.get(start));
    }
  }
}
