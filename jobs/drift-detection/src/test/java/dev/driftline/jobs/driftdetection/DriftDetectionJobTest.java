package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;
import dev.driftline.services.TopicReader;
import dev.driftline.services.TopicSchemas;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.metrics.ClassificationMetrics;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.DriftInjection;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetterJson;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
 * The drift job end to end on the real services: generated traffic of a 12-feature classifier with
 * a known shift, delayed labels, poison records; results checked against a batch recomputation and
 * between Kafka and Elasticsearch.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class DriftDetectionJobTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();
  @TempDir static Path dir;

  static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
  static final Instant SHIFT = START.plus(Duration.ofHours(5));
  static final double ALPHA = 0.01;
  static MonitorSpec spec;
  static BaselineFile profile;
  static final List<TrafficEvent> events = new ArrayList<>();
  static final Map<String, List<JsonNode>> kafkaOut = new HashMap<>();
  static final Map<String, java.util.TreeSet<String>> headers = new HashMap<>();
  static List<DeadLetter> deadLetters;
  static ElasticsearchClient es;

  @BeforeAll
  static void runJobOnGeneratedTraffic() throws Exception {
    String yaml = DriftTraffic.exampleYaml("{size: 10m, max_out_of_orderness: 30s}");
    spec = MonitorSpecParser.parse("credit-default-test.yaml", yaml);

    // The reference: a training period from one seed; the live traffic draws from its profile.
    profile = TrainingProfiles.build(spec, START.minus(Duration.ofDays(2)), Duration.ofHours(3), 1, START, dir);
    TrafficConfig traffic = TrafficConfig.of(spec, START, Duration.ofHours(10), 1, 2)
        .withReference(profile)
        .withLabels(Duration.ofMinutes(40), 0.05)
        .withDrifts(List.of(
            DriftInjection.parse("income@5h:shift=1", spec, START, Duration.ofHours(10)),
            DriftInjection.parse("loan_purpose@5h:mix", spec, START, Duration.ofHours(10))));
    new TrafficGenerator(traffic).forEachRemaining(events::add);

    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(2, "t-predictions", "t-labels", "t-drift", "t-performance", "t-dead-letters", "t-labelled", "t-baselines");
    produce(broker);

    ElasticsearchConfig esConfig = ElasticsearchConfig.of(ElasticsearchExtension.url());
    DriftOutputs.installTemplates(esConfig);
    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(2_000);
    new DriftDetectionJob(
        KafkaSources.rawBounded(kafka, List.of("t-predictions"), "t-drift-job"),
        KafkaSources.rawBounded(kafka, List.of("t-labels"), "t-drift-job"),
        KafkaSources.rawBounded(kafka, List.of("t-baselines"), "t-drift-job"),
        DriftOutputs.create(kafka, esConfig, new DriftOutputs.Topics("t-drift", "t-performance", "t-labelled", "t-dead-letters",
            DeliveryGuarantee.EXACTLY_ONCE, "t-drift-job"), new ModelRegistry(List.of(spec))),
        new ModelRegistry(List.of(spec)),
        Map.of(spec.modelId(), Baseline.fromProfile(profile, spec))).build(env);
    env.execute("drift detection test");

    for (String topic : List.of("t-drift", "t-performance", "t-labelled")) {
      List<JsonNode> records = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(broker.bootstrapServers(), topic, 1)) {
        records.add(Json.mapper().readTree(r.value()));
        headers.computeIfAbsent(topic, k -> new java.util.TreeSet<>()).add(String.valueOf(TopicSchemas.header(r)));
      }
      kafkaOut.put(topic, records);
    }
    List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.readAll(broker.bootstrapServers(), "t-dead-letters", 5);
    dead.forEach(r -> headers.computeIfAbsent("t-dead-letters", k -> new java.util.TreeSet<>()).add(String.valueOf(TopicSchemas.header(r))));
    deadLetters = dead.stream().map(r -> DeadLetterJson.fromJson(r.value())).toList();
    es = esConfig.newClient();
    es.indices().refresh(r -> r.index("driftline-*"));
  }

  /** Every record written carries the header naming its schema and major version (TopicReader validated each against it). */
  @Test
  void everyOutputRecordNamesItsSchemaInAHeader() {
    assertThat(headers).containsExactlyInAnyOrderEntriesOf(Map.of(
        "t-drift", new java.util.TreeSet<>(List.of("drift-result/1")),
        "t-performance", new java.util.TreeSet<>(List.of("performance/1")),
        "t-labelled", new java.util.TreeSet<>(List.of("labelled-prediction/1")),
        "t-dead-letters", new java.util.TreeSet<>(List.of("dead-letter/1"))));
  }

  /** Labels go first for a few predictions (arriving before them), poison records in between. */
  static void produce(KafkaBroker broker) throws Exception {
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      int n = 0;
      for (TrafficEvent e : events) {
        String topic = e.type() == TrafficEvent.Type.PREDICTION ? "t-predictions" : "t-labels";
        producer.send(new ProducerRecord<>(topic, e.key(), e.json()));
        if (++n == 5_000) {
          producer.send(new ProducerRecord<>("t-predictions", "credit-default", "{\"model_id\":\"credit-default\",\"prediction_id\""));
          producer.send(new ProducerRecord<>("t-predictions", "fraud", "{\"model_id\":\"fraud\",\"prediction_id\":\"x\",\"ts\":1772409600000}"));
          producer.send(new ProducerRecord<>("t-predictions", "credit-default", events.get(0).json().replace("\"score\":", "\"score\":\"high\",\"was\":")));
          producer.send(new ProducerRecord<>("t-labels", "credit-default", "{\"model_id\":\"credit-default\",\"prediction_id\":\"p\",\"ts\":1772409600000,\"label\":7}"));
          producer.send(new ProducerRecord<>("t-labels", "credit-default", "not json at all"));
        }
      }
    }
  }

  @Test
  void flagsTheShiftedFeaturesAfterTheShiftAndNotBefore() {
    Map<String, Boolean> incomeKs = flags("income", "ks");
    Map<String, Boolean> purposeChi2 = flags("loan_purpose", "chi2");
    assertThat(incomeKs).hasSize(60);
    assertThat(purposeChi2).hasSize(60);
    for (var e : incomeKs.entrySet()) {
      boolean after = !Instant.parse(e.getKey()).isBefore(SHIFT);
      assertThat(e.getValue()).as("income ks in window " + e.getKey()).isEqualTo(after);
      assertThat(purposeChi2.get(e.getKey())).as("loan_purpose chi2 in window " + e.getKey()).isEqualTo(after);
    }
  }

  @Test
  void unshiftedFeaturesAreFlaggedNoMoreOftenThanAlphaImplies() {
    int tests = 0;
    int falseFlags = 0;
    for (JsonNode r : kafkaOut.get("t-drift")) {
      String feature = r.get("feature").asText();
      String test = r.get("test").asText();
      if (feature.equals("income") || feature.equals("loan_purpose") || r.get("feature_type").asText().equals("score")
          || !(test.equals("ks") || test.equals("chi2"))) {
        continue;
      }
      tests++;
      if (r.get("drift").asBoolean()) {
        falseFlags++;
      }
    }
    assertThat(tests).isEqualTo(60 * 10);
    double expected = ALPHA * tests;
    assertThat((double) falseFlags).isLessThanOrEqualTo(expected + 3 * Math.sqrt(expected));
    long psiFlags = kafkaOut.get("t-drift").stream()
        .filter(r -> r.get("test").asText().equals("psi") && r.get("drift").asBoolean())
        .map(r -> r.get("feature").asText()).filter(f -> !Set.of("income", "loan_purpose", "score").contains(f)).count();
    assertThat(psiFlags).isZero();
  }

  @Test
  void performanceEqualsABatchRecomputationOverTheSameJoinedPairs() {
    Map<String, double[]> predictions = new HashMap<>();
    Map<String, Double> labels = new HashMap<>();
    for (TrafficEvent e : events) {
      String id = e.body().get("prediction_id").asText();
      if (e.type() == TrafficEvent.Type.PREDICTION) {
        predictions.put(id, new double[] {e.ts(), e.body().get("score").asDouble()});
      } else {
        labels.put(id, e.body().get("label").asDouble());
      }
    }
    Map<String, List<double[]>> byWindow = new TreeMap<>();
    Map<String, Integer> predictionsByWindow = new TreeMap<>();
    long size = Duration.ofMinutes(10).toMillis();
    predictions.forEach((id, p) -> {
      String window = Instant.ofEpochMilli((long) p[0] / size * size).toString();
      predictionsByWindow.merge(window, 1, Integer::sum);
      if (labels.containsKey(id)) {
        byWindow.computeIfAbsent(window, w -> new ArrayList<>()).add(new double[] {p[1], labels.get(id)});
      }
    });

    Map<String, JsonNode> last = new LinkedHashMap<>();
    kafkaOut.get("t-performance").forEach(r -> last.put(r.get("window_start").asText(), r));
    assertThat(last).hasSize(60);
    for (var e : byWindow.entrySet()) {
      JsonNode r = last.get(e.getKey());
      double[] scores = e.getValue().stream().mapToDouble(x -> x[0]).toArray();
      int[] y = e.getValue().stream().mapToInt(x -> (int) x[1]).toArray();
      ClassificationMetrics batch = ClassificationMetrics.of(scores, y, 0.5);
      assertThat(r.get("predictions").asLong()).isEqualTo((long) predictionsByWindow.get(e.getKey()));
      assertThat(r.get("labelled").asLong()).isEqualTo(scores.length);
      assertThat(r.get("accuracy").asDouble()).as("accuracy " + e.getKey()).isEqualTo(batch.accuracy());
      assertThat(r.get("auc").asDouble()).as("auc " + e.getKey()).isEqualTo(batch.rocAuc());
      assertThat(r.get("f1").asDouble()).isEqualTo(batch.f1());
      assertThat(r.get("balanced_accuracy").asDouble()).isEqualTo(batch.balancedAccuracy());
      assertThat(r.get("log_loss").asDouble()).isEqualTo(batch.logLoss());
      assertThat(r.get("brier").asDouble()).isEqualTo(batch.brier());
      assertThat(r.get("label_coverage").asDouble()).isEqualTo((double) scores.length / predictionsByWindow.get(e.getKey()));
    }
  }

  @Test
  void everyJoinedLabelIsPublishedOnceWithItsFeatures() {
    Map<String, TrafficEvent> predictions = new HashMap<>();
    Map<String, Double> labels = new HashMap<>();
    for (TrafficEvent e : events) {
      String id = e.body().get("prediction_id").asText();
      if (e.type() == TrafficEvent.Type.PREDICTION) {
        predictions.put(id, e);
      } else {
        labels.put(id, e.body().get("label").asDouble());
      }
    }
    List<JsonNode> labelled = kafkaOut.get("t-labelled");
    assertThat(labelled).hasSize(labels.size());
    for (JsonNode r : labelled) {
      String id = r.get("prediction_id").asText();
      assertThat(r.get("label").asDouble()).isEqualTo(labels.get(id));
      assertThat(r.get("features").get("income").asDouble())
          .isEqualTo(predictions.get(id).body().get("features").get("income").asDouble());
    }
  }

  @Test
  void elasticsearchHoldsExactlyTheKafkaRecordsWithoutDuplicates() throws Exception {
    List<JsonNode> drift = kafkaOut.get("t-drift");
    Map<String, JsonNode> driftById = new HashMap<>();
    drift.forEach(r -> driftById.put(id(r, true), r));
    assertThat(driftById).as("no duplicate drift records on Kafka").hasSize(drift.size());
    Map<String, JsonNode> indexed = search(DriftOutputs.DRIFT_INDEX_PREFIX + DriftOutputs.month(START.toString()));
    assertThat(indexed).hasSize(drift.size());
    indexed.forEach((id, doc) -> assertThat(doc).as(id).isEqualTo(driftById.get(id)));

    Map<String, JsonNode> lastPerformance = new HashMap<>();
    kafkaOut.get("t-performance").forEach(r -> lastPerformance.put(id(r, false), r));
    Map<String, JsonNode> performanceDocs = search(DriftOutputs.PERFORMANCE_INDEX_PREFIX + DriftOutputs.month(START.toString()));
    assertThat(performanceDocs.keySet()).isEqualTo(lastPerformance.keySet());
    performanceDocs.forEach((id, doc) -> assertThat(doc).as(id).isEqualTo(lastPerformance.get(id)));
    assertThat(drift.get(0).get("reference_id").asText()).isEqualTo(profile.profileId());
  }

  /**
   * Every PSI result carries the counts it compared, and they are a recount of the generated
   * predictions of its window: numeric values counted on the profile's 10 quantile edges (a value
   * equal to an edge in the bin above), categories counted by name; the reference side is the
   * profile's.
   */
  @Test
  void psiResultsCarryTheCountsOfARecountOfTheirWindow() {
    long size = Duration.ofMinutes(10).toMillis();
    Map<String, Map<String, List<JsonNode>>> values = new HashMap<>(); // window -> feature -> values
    for (TrafficEvent e : events) {
      if (e.type() != TrafficEvent.Type.PREDICTION) {
        continue;
      }
      Map<String, List<JsonNode>> w = values.computeIfAbsent(Instant.ofEpochMilli(e.ts() / size * size).toString(),
          k -> new HashMap<>());
      e.body().get("features").properties().forEach(f -> w.computeIfAbsent(f.getKey(), k -> new ArrayList<>()).add(f.getValue()));
      w.computeIfAbsent("score", k -> new ArrayList<>()).add(e.body().get("score"));
    }
    int numeric = 0;
    int categorical = 0;
    for (JsonNode r : kafkaOut.get("t-drift")) {
      if (!r.get("test").asText().equals("psi")) {
        assertThat(r.has("bins")).as("only PSI results carry bins").isFalse();
        continue;
      }
      String feature = r.get("feature").asText();
      List<JsonNode> window = values.get(r.get("window_start").asText()).get(feature);
      JsonNode bins = r.get("bins");
      String what = feature + " " + r.get("window_start").asText();
      if (r.get("feature_type").asText().equals("categorical")) {
        Map<String, Long> current = new TreeMap<>();
        window.stream().filter(v -> !v.isNull()).forEach(v -> current.merge(v.asText(), 1L, Long::sum));
        Map<String, Long> reference = profile.features().get(feature).categories();
        Map<String, Long> carried = new TreeMap<>();
        for (int i = 0; i < bins.get("categories").size(); i++) {
          String c = bins.get("categories").get(i).asText();
          assertThat(bins.get("reference").get(i).asLong()).as(what + " " + c).isEqualTo(reference.getOrDefault(c, 0L));
          assertThat(bins.get("current").get(i).asLong()).as(what + " " + c).isEqualTo(current.getOrDefault(c, 0L));
          carried.put(c, bins.get("current").get(i).asLong());
        }
        java.util.Set<String> both = new java.util.TreeSet<>(reference.keySet());
        both.addAll(current.keySet());
        assertThat(carried.keySet()).as(what).containsExactlyInAnyOrderElementsOf(both);
        assertThat(bins.has("other_categories")).isFalse();
        assertThat(bins.has("edges")).isFalse();
        categorical++;
      } else {
        var profileBins = (feature.equals("score") ? profile.score() : profile.features().get(feature)).numeric().binsFor(10);
        double[] edges = new double[bins.get("edges").size()];
        for (int i = 0; i < edges.length; i++) {
          edges[i] = bins.get("edges").get(i).asDouble();
        }
        assertThat(edges).as(what).containsExactly(profileBins.edges());
        long[] expected = new long[edges.length + 1];
        for (JsonNode v : window) {
          if (!v.isNull()) {
            int bin = 0;
            for (double e : edges) {
              bin += e <= v.asDouble() ? 1 : 0;
            }
            expected[bin]++;
          }
        }
        assertThat(longs(bins.get("current"))).as(what).containsExactly(expected);
        assertThat(longs(bins.get("reference"))).as(what).containsExactly(profileBins.counts());
        assertThat(java.util.Arrays.stream(expected).sum()).isEqualTo(r.get("n_current").asLong());
        numeric++;
      }
    }
    // 60 windows; 8 numeric features and the score, 4 categorical features.
    assertThat(numeric).isEqualTo(60 * 9);
    assertThat(categorical).isEqualTo(60 * 4);
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  @Test
  void poisonRecordsAreDeadLettersWithTheirReasons() {
    List<String> reasons = deadLetters.stream().map(DeadLetter::reason)
        .map(r -> r.startsWith("invalid JSON: ") ? "invalid JSON" : r).toList();
    assertThat(reasons).containsExactlyInAnyOrder(
        "invalid JSON",
        "model_id: unknown model \"fraud\"; this job monitors credit-default",
        "score: expected a finite number, got \"high\"",
        "label: expected 0 or 1 (or true/false), got 7",
        "invalid JSON");
    assertThat(deadLetters).allSatisfy(d -> {
      assertThat(d.topic()).isIn("t-predictions", "t-labels");
      assertThat(d.offset()).isNotNegative();
      assertThat(d.value()).isNotEmpty();
    });
  }

  @Test
  void deadLettersAreIndexedForTheDashboardUnderTheirSourcePosition() throws Exception {
    Map<String, JsonNode> indexed = search(dev.driftline.runtime.deadletter.DeadLetters.INDEX);
    assertThat(indexed).hasSize(5);
    for (DeadLetter d : deadLetters) {
      JsonNode doc = indexed.get(String.join("|", d.stage(), d.topic(), String.valueOf(d.partition()), String.valueOf(d.offset())));
      assertThat(doc).as(d.reason()).isNotNull();
      assertThat(doc.get("reason").asText()).isEqualTo(d.reason());
      assertThat(doc.get("failed_at").asLong()).isEqualTo(d.failedAt());
    }
  }

  private static Map<String, Boolean> flags(String feature, String test) {
    Map<String, Boolean> out = new TreeMap<>();
    for (JsonNode r : kafkaOut.get("t-drift")) {
      if (r.get("feature").asText().equals(feature) && r.get("test").asText().equals(test)) {
        assertThat(out.put(r.get("window_start").asText(), r.get("drift").asBoolean())).isNull();
      }
    }
    return out;
  }

  private static String id(JsonNode r, boolean drift) {
    String base = r.get("model_id").asText() + "|" + r.get("segment").asText();
    return drift
        ? String.join("|", base, r.get("feature").asText(), r.get("test").asText(), r.get("window_start").asText(), r.get("window_end").asText())
        : String.join("|", base, r.get("window_start").asText(), r.get("window_end").asText());
  }

  private static Map<String, JsonNode> search(String index) throws Exception {
    Map<String, JsonNode> out = new HashMap<>();
    var response = es.search(s -> s.index(index).size(10_000), ObjectNode.class);
    for (Hit<ObjectNode> hit : response.hits().hits()) {
      assertThat(out.put(hit.id(), hit.source())).isNull();
    }
    return out;
  }
}
