package dev.driftline.jobs.featurepipeline;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.features.FeatureRecord;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.features.PointInTime;
import dev.driftline.core.io.Json;
import dev.driftline.jobs.featurepipeline.FeatureRecomputation.Txn;
import dev.driftline.jobs.featurepipeline.state.FeatureTypes;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetterJson;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.TopicReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
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

/**
 * The feature pipeline end to end on the real services: seeded card transactions of 200 cards over
 * three days, out of order within the watermark bound, with poison records; every record of the log
 * topic is checked against a brute-force recomputation over the raw events, point-in-time reads
 * against the brute force at random instants, and the online index against the log.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class FeaturePipelineJobTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  // The input is bounded and ends with a final watermark, so no partition needs to be declared
  // idle: an idle timeout of seconds let a partition whose reader stalled on a loaded machine be
  // skipped by the watermark, and its records were then late.
  static final String VIEW_YAML = """
      view: cards
      source: {topic: t-card-txns, entity_key: card_id, timestamp: ts, max_out_of_orderness: 30s, idle_timeout: 10m}
      entity_ttl: 8d
      features:
        - {name: txn_count_10m, aggregation: count, window: 10m}
        - {name: txn_count_1h, aggregation: count, window: 1h}
        - {name: amount_sum_1h, aggregation: sum, field: amount, window: 1h}
        - {name: amount_sum_24h, aggregation: sum, field: amount, window: 24h}
        - {name: amount_mean_7d, aggregation: mean, field: amount, window: 7d, granularity: 1h}
        - {name: amount_min_1h, aggregation: min, field: amount, window: 1h}
        - {name: amount_max_24h, aggregation: max, field: amount, window: 24h}
        - {name: amount_stddev_7d, aggregation: stddev, field: amount, window: 7d}
        - {name: merchant_distinct_24h, aggregation: distinct_count, field: merchant_id, window: 24h}
        - {name: last_amount, aggregation: last, field: amount}
        - {name: seconds_since_last_txn, aggregation: time_since_last}
        - {name: amount_share_1h_of_24h, aggregation: ratio, numerator: amount_sum_1h, denominator: amount_sum_24h}
      """;
  static final long START = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
  static final int CARDS = 200;
  static final long JITTER_MS = 20_000; // below max_out_of_orderness, so no event is late


  static FeatureView view;
  static final Map<String, List<Txn>> byCard = new HashMap<>();
  static final List<FeatureRecord> log = new ArrayList<>();
  static List<DeadLetter> deadLetters;
  static ElasticsearchConfig esConfig;
  static ElasticsearchClient es;
  static int validEvents;
  static long jobMillis;

  @BeforeAll
  static void runJobOnGeneratedTransactions() throws Exception {
    view = FeatureViewParser.parse("cards-test.yaml", VIEW_YAML);
    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(4, "t-card-txns", "t-fp-dead-letters");
    broker.createCompactedTopic(view.logTopic(), 3);
    List<Txn> txns = generate(new Random(42));
    produce(broker, txns);

    esConfig = ElasticsearchConfig.of(ElasticsearchExtension.url());
    FeatureOutputs.installTemplate(esConfig);
    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConf());
    env.enableCheckpointing(1_000);
    new FeaturePipelineJob(List.of(view),
        v -> KafkaSources.rawBounded(kafka, List.of(v.topic()), "t-fp-job"),
        FeatureOutputs.create(kafka, esConfig, new FeatureOutputs.Settings("t-fp-dead-letters",
            DeliveryGuarantee.EXACTLY_ONCE, "t-fp-job"))).build(env);
    long t0 = System.nanoTime();
    env.execute("feature pipeline test");
    jobMillis = (System.nanoTime() - t0) / 1_000_000;

    Set<String> updates = new HashSet<>();
    txns.forEach(t -> updates.add(t.card() + "@" + t.ts()));
    for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(broker.bootstrapServers(), view.logTopic(), updates.size())) {
      FeatureRecord f = FeatureRecord.fromJson(r.value());
      assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(f.entity());
      log.add(f);
    }
    deadLetters = TopicReader.readAll(broker.bootstrapServers(), "t-fp-dead-letters", 4)
        .stream().map(r -> DeadLetterJson.fromJson(r.value())).toList();
    es = esConfig.newClient();
    es.indices().refresh(r -> r.index(view.index()));
    System.out.printf("feature pipeline test: %d events, %d records, job %d ms%n", validEvents, log.size(), jobMillis);
  }

  static Configuration flinkConf() {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    conf.set(PipelineOptions.GENERIC_TYPES, false); // fails the job if anything falls back to Kryo
    return conf;
  }

  /** Bursts and quiet spells per card, a few transactions at the same instant, amounts in cents. */
  static List<Txn> generate(Random random) {
    List<Txn> out = new ArrayList<>();
    for (int c = 0; c < CARDS; c++) {
      String card = String.format("card-%04d", c);
      int events = 20 + random.nextInt(60);
      long ts = START + (long) (random.nextDouble() * 6 * 3_600_000);
      int home = random.nextInt(400);
      for (int i = 0; i < events; i++) {
        double u = random.nextDouble();
        long gap = u < 0.03 ? 0 : u < 0.4 ? (long) (random.nextDouble() * 300_000) : (long) (-Math.log(random.nextDouble()) * 5_400_000);
        ts += gap;
        double amount = Math.round(Math.exp(3 + random.nextGaussian()) * 100) / 100.0;
        String merchant = "m" + (home + random.nextInt(35));
        out.add(new Txn(card, ts, amount, merchant, -1));
      }
    }
    return out;
  }

  /** Sends in arrival order (event time plus up to {@link #JITTER_MS}), with poison records in between. */
  static void produce(KafkaBroker broker, List<Txn> txns) {
    Random random = new Random(7);
    List<long[]> arrival = new ArrayList<>();
    for (int i = 0; i < txns.size(); i++) {
      arrival.add(new long[] {txns.get(i).ts() + (long) (random.nextDouble() * JITTER_MS), i});
    }
    arrival.sort(Comparator.comparingLong(a -> a[0]));
    // The broker's checked producer: a record it failed to deliver fails the test here, instead of
    // being expected in the brute force and missing from the job's input.
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      int seq = 0;
      for (long[] a : arrival) {
        Txn t = txns.get((int) a[1]);
        Txn sent = new Txn(t.card(), t.ts(), t.amount(), t.merchant(), seq++);
        byCard.computeIfAbsent(t.card(), k -> new ArrayList<>()).add(sent);
        ObjectNode json = Json.mapper().createObjectNode()
            .put("card_id", t.card()).put("ts", t.ts()).put("amount", t.amount()).put("merchant_id", t.merchant());
        producer.send(new ProducerRecord<>("t-card-txns", t.card(), json.toString()));
        if (seq == 3000) {
          producer.send(new ProducerRecord<>("t-card-txns", "x", "{\"ts\":" + t.ts() + ",\"amount\":1,\"merchant_id\":\"m\"}"));
          producer.send(new ProducerRecord<>("t-card-txns", "card-0001", "{\"card_id\":\"card-0001\",\"amount\":1,\"merchant_id\":\"m\"}"));
          producer.send(new ProducerRecord<>("t-card-txns", "card-0001",
              "{\"card_id\":\"card-0001\",\"ts\":" + t.ts() + ",\"amount\":\"abc\",\"merchant_id\":\"m\"}"));
          producer.send(new ProducerRecord<>("t-card-txns", "card-0001", "{\"card_id\":\"card-0001\",\"ts\":"));
        }
      }
      validEvents = seq;
    }
    byCard.values().forEach(l -> l.sort(Comparator.comparingLong(Txn::ts).thenComparingInt(Txn::seq)));
  }

  @Test
  void everyRecordEqualsABruteForceRecomputationAsOfItsInstant() {
    Set<String> expected = new HashSet<>();
    byCard.forEach((card, txns) -> txns.forEach(t -> expected.add(card + "@" + t.ts())));
    Set<String> seen = new HashSet<>();
    for (FeatureRecord r : log) {
      assertThat(seen.add(r.entity() + "@" + r.asOf())).as("one record per update: " + r.entity() + "@" + r.asOf()).isTrue();
    }
    // The set first: a missing update says more than the first wrong value after it.
    assertThat(new java.util.TreeSet<>(difference(expected, seen))).as("updates without a record").isEmpty();
    assertThat(new java.util.TreeSet<>(difference(seen, expected))).as("records of no update").isEmpty();
    for (FeatureRecord r : log) {
      assertThat(r.view()).isEqualTo("cards");
      assertThat(r.freshnessMs()).isEqualTo(r.computedAt() - r.asOf());
      FeatureRecomputation.assertMatches(view, r.features(), FeatureRecomputation.bruteForce(view, byCard.get(r.entity()), r.asOf()), r.entity() + " as of " + Instant.ofEpochMilli(r.asOf()));
    }
  }

  @Test
  void asOfAnInstantReturnsExactlyTheBruteForceValuesThen() {
    Random random = new Random(11);
    long end = byCard.values().stream().mapToLong(l -> l.get(l.size() - 1).ts()).max().orElseThrow();
    int answered = 0;
    for (int i = 0; i < 500; i++) {
      String card = String.format("card-%04d", random.nextInt(CARDS));
      long t = START + (long) (random.nextDouble() * (end - START + 3_600_000));
      Optional<FeatureRecord> got = PointInTime.asOf(log, card, t);
      List<Txn> txns = byCard.get(card);
      long newest = txns.stream().mapToLong(Txn::ts).filter(ts -> ts <= t).max().orElse(Long.MIN_VALUE);
      if (newest == Long.MIN_VALUE) {
        assertThat(got).as(card + " before its first event").isEmpty();
        continue;
      }
      answered++;
      assertThat(got).isPresent();
      assertThat(got.get().asOf()).isEqualTo(newest);
      FeatureRecomputation.assertMatches(view, got.get().features(), FeatureRecomputation.bruteForce(view, txns, newest), card + " at " + Instant.ofEpochMilli(t));
    }
    assertThat(answered).isGreaterThan(400);
  }

  @Test
  void onlineStoreHoldsTheLastRecordPerEntityAndAnOlderReplayDoesNotChangeIt() throws Exception {
    Map<String, FeatureRecord> last = new HashMap<>();
    log.forEach(r -> last.merge(r.entity(), r, (a, b) -> b.asOf() >= a.asOf() ? b : a));
    Map<String, JsonNode> docs = search();
    assertThat(docs).hasSize(CARDS);
    for (var e : docs.entrySet()) {
      assertThat(e.getValue()).as(e.getKey()).isEqualTo(Json.mapper().readTree(last.get(e.getKey()).toJson()));
    }

    // Replay older records of one card (and the newest again) through the job's own Elasticsearch sink.
    String card = "card-0007";
    List<FeatureRecord> older = log.stream().filter(r -> r.entity().equals(card)).sorted(Comparator.comparingLong(FeatureRecord::asOf)).toList();
    FeatureRecord newest = last.get(card);
    List<FeatureRecord> replay = new ArrayList<>(older.subList(0, Math.min(5, older.size() - 1)));
    replay.add(new FeatureRecord(newest.view(), newest.entity(), newest.asOf(), newest.computedAt() + 1, newest.features()));
    KafkaConfig kafka = KafkaConfig.of(KafkaExtension.broker().bootstrapServers());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConf());
    env.fromData(FeatureTypes.records(), replay.toArray(new FeatureRecord[0]))
        .sinkTo(FeatureOutputs.create(kafka, esConfig, new FeatureOutputs.Settings("t-fp-dead-letters",
            DeliveryGuarantee.AT_LEAST_ONCE, "t-fp-replay")).features().apply(view).get(1).sink());
    env.execute("replay older feature records");
    es.indices().refresh(r -> r.index(view.index()));
    assertThat(search().get(card)).isEqualTo(Json.mapper().readTree(newest.toJson()));
  }

  @Test
  void badEventsAreDeadLettersWithTheirReasonsAndNoneIsLate() {
    List<String> reasons = deadLetters.stream().map(DeadLetter::reason)
        .map(r -> r.startsWith("invalid JSON: ") ? "invalid JSON" : r).toList();
    assertThat(reasons).containsExactlyInAnyOrder(
        "card_id: expected an entity key (a non-empty string or a whole number), got nothing",
        "ts: expected epoch millis or an ISO-8601 time, got nothing",
        "amount: expected a finite number, got \"abc\"",
        "invalid JSON");
    assertThat(deadLetters).allSatisfy(d -> {
      assertThat(d.stage()).isEqualTo("decode:cards");
      assertThat(d.topic()).isEqualTo("t-card-txns");
      assertThat(d.offset()).isNotNegative();
    });
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.removeAll(b);
    return out;
  }

  private static Map<String, JsonNode> search() throws Exception {
    Map<String, JsonNode> out = new HashMap<>();
    var response = es.search(s -> s.index(view.index()).size(10_000), ObjectNode.class);
    for (Hit<ObjectNode> hit : response.hits().hits()) {
      assertThat(out.put(hit.id(), hit.source())).isNull();
    }
    return out;
  }
}
