package dev.driftline.jobs.featurepipeline;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.features.FeatureRecord;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.io.Json;
import dev.driftline.jobs.featurepipeline.FeatureRecomputation.Txn;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.services.CommittedRecords;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.FaultNumbers;
import dev.driftline.services.FlinkStandaloneCluster;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.ReliabilityLog;
import dev.driftline.services.TopicReader;
import dev.driftline.services.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shaded feature pipeline on a real standalone Flink cluster (real Kafka, real Elasticsearch),
 * its TaskManager JVM killed with SIGKILL in the middle of the stream and replaced by a new one.
 * The read_committed log topic must then hold exactly one record per card and event time, each
 * equal to a brute-force recomputation over the raw transactions (what an uninterrupted run
 * writes, up to the wall-clock fields), and the online index one document per card: its newest.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class FeaturePipelineClusterIT {
  static final String VIEW_YAML = """
      view: cluster-cards
      source: {topic: fpc-card-txns, entity_key: card_id, timestamp: ts, max_out_of_orderness: 30s, idle_timeout: 2s}
      entity_ttl: 8d
      features:
        - {name: txn_count_1h, aggregation: count, window: 1h}
        - {name: amount_sum_24h, aggregation: sum, field: amount, window: 24h}
        - {name: amount_max_24h, aggregation: max, field: amount, window: 24h}
        - {name: last_amount, aggregation: last, field: amount}
        - {name: seconds_since_last_txn, aggregation: time_since_last}
      """;
  static final long START = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
  static final int CARDS = 100;
  static final long JITTER_MS = 20_000; // below max_out_of_orderness, so no event is late
  /** Transactions arriving before this go in the first part, the rest after the fault. */
  static final long CUT = START + Duration.ofHours(3).toMillis();
  static final Duration WAIT = Duration.ofMinutes(3);

  static FlinkStandaloneCluster cluster;

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aKilledTaskManagerLosesNoFeatureRecordAndDuplicatesNone() throws Exception {
    Path jar = Path.of(System.getProperty("driftline.job.jar", "(driftline.job.jar not set: run with mvn verify)"));
    assertThat(jar).as("the shaded job jar, built by package").isRegularFile();
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("user.dir"), "target"), "cluster-it-");
    Path viewFile = dir.resolve("cluster-cards.yaml");
    Files.writeString(viewFile, VIEW_YAML);
    FeatureView view = FeatureViewParser.load(viewFile);

    // Arrival order: event time plus up to 20 s. One input partition: a partition gone idle between the
    // two parts cannot wake up behind another's watermark and make its events late.
    List<Txn> arrivals = arrivals(generate(new Random(42)), new Random(7));
    Map<String, List<Txn>> byCard = new HashMap<>();
    arrivals.forEach(t -> byCard.computeIfAbsent(t.card(), k -> new ArrayList<>()).add(t));
    byCard.values().forEach(l -> l.sort(Comparator.comparingLong(Txn::ts).thenComparingInt(Txn::seq)));
    Map<String, Map<String, Double>> expected = new TreeMap<>();
    byCard.forEach((card, txns) -> txns.forEach(t -> expected.put(card + "@" + t.ts(), null)));
    expected.replaceAll((id, v) -> FeatureRecomputation.bruteForce(view, byCard.get(card(id)), asOf(id)));
    List<Txn> first = arrivals.stream().filter(t -> t.seq() < firstAfter(arrivals)).toList();
    List<Txn> second = arrivals.stream().filter(t -> t.seq() >= firstAfter(arrivals)).toList();

    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(1, view.topic());
    broker.createTopics(2, "fpc-dead-letters");
    ElasticsearchConfig esConfig = ElasticsearchConfig.of(ElasticsearchExtension.url());
    long t0 = System.nanoTime();
    cluster = FlinkStandaloneCluster.start(dir.resolve("flink"));
    log("cluster up; " + arrivals.size() + " transactions of " + CARDS + " cards, " + first.size()
        + " before the fault; expecting " + expected.size() + " feature records", t0);
    produce(broker, view.topic(), first, false);
    String job = cluster.submit(jar, "--view", viewFile.toString(), "--bootstrap-servers", broker.bootstrapServers(),
        "--es-url", ElasticsearchExtension.url(), "--checkpoint-interval", "1s", "--delivery", "exactly-once",
        "--dead-letter-topic", "fpc-dead-letters", "--group-id", "driftline-fpc", "--log-partitions", "2");
    cluster.awaitRunning(job, WAIT);
    log("job " + job + " running", t0);

    try (CommittedRecords log = CommittedRecords.follow(broker.bootstrapServers(), view.logTopic());
         ElasticsearchClient es = esConfig.newClient()) {
      Waits.until("the first committed feature records", WAIT, () -> log.count() > 0, () -> "logs in " + cluster.workDir());
      long kill = System.nanoTime();
      cluster.killTaskManager();
      log("TaskManager killed with " + log.count() + " records committed", t0);
      cluster.startTaskManager();
      // What the killed TaskManager committed has been read by now; the job commits again only
      // after its restart on the new TaskManager and a checkpoint there.
      int before = log.count();
      log("new TaskManager registered; " + before + " records committed before the kill", t0);
      produce(broker, view.topic(), second, true);
      Waits.until("the job to restart", WAIT, () -> cluster.restarts(job) >= 1, () -> "logs in " + cluster.workDir());
      cluster.awaitRunning(job, WAIT);
      long running = System.nanoTime();
      log("job running again", t0);
      log.awaitAtLeast(expected.size(), Duration.ofSeconds(3), WAIT);
      log("all records committed", t0);

      Map<String, Integer> copies = new TreeMap<>();
      Map<String, FeatureRecord> records = new HashMap<>();
      for (byte[] value : log.values()) {
        FeatureRecord r = FeatureRecord.fromJson(value);
        copies.merge(r.entity() + "@" + r.asOf(), 1, Integer::sum);
        records.put(r.entity() + "@" + r.asOf(), r);
      }
      Map<String, ObjectNode> docs = online(es, view, CARDS);
      int deadLetters = TopicReader.readAll(broker.bootstrapServers(), "fpc-dead-letters", 0).size();
      long restarts = cluster.restarts(job);
      ReliabilityLog.row("TaskManager killed (feature pipeline)",
          "kill -9 of the TaskManager JVM after the first committed feature records, a new TaskManager started, "
              + "the rest of the transactions",
          "read_committed log = one record per card and event time, equal to a brute-force recomputation; the "
              + "online index holds each card once, its newest; the job restarted",
          new FaultNumbers(arrivals.size(), log.count(),
              copies.values().stream().mapToInt(n -> n - 1).sum(),
              expected.keySet().stream().filter(id -> !copies.containsKey(id)).count(), deadLetters, restarts,
              FaultNumbers.seconds(kill, running), String.format(Locale.ROOT,
                  "first_new_output=%.1fs, committed_before_kill=%d, es_docs=%d",
                  FaultNumbers.seconds(kill, log.arrivalOf(before)), before, docs.size())).toString(),
          "FeaturePipelineClusterIT");

      assertThat(restarts).as("the job failed over").isGreaterThanOrEqualTo(1);
      assertThat(cluster.exceptionHistory(job)).as("the JobManager's exception history").isNotEmpty()
          .anySatisfy(f -> assertThat(f).contains("TaskManager"));
      assertThat(copies).allSatisfy((id, n) -> assertThat(n).as("copies of " + id).isEqualTo(1));
      assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
      expected.forEach((id, features) -> FeatureRecomputation.assertMatches(view, records.get(id).features(), features, id));
      assertThat(deadLetters).isZero();
      // The online store: each card once, as of its newest transaction, with the log's values.
      assertThat(docs.keySet()).containsExactlyInAnyOrderElementsOf(byCard.keySet());
      for (var e : docs.entrySet()) {
        List<Txn> txns = byCard.get(e.getKey());
        FeatureRecord newest = records.get(e.getKey() + "@" + txns.get(txns.size() - 1).ts());
        assertThat(withoutWallClock(e.getValue())).as(e.getKey()).isEqualTo(withoutWallClock(Json.mapper().readTree(newest.toJson())));
      }
    }
  }

  /** Bursts and quiet spells per card over about six hours, a few transactions at the same instant. */
  static List<Txn> generate(Random random) {
    List<Txn> out = new ArrayList<>();
    for (int c = 0; c < CARDS; c++) {
      String card = String.format("card-%04d", c);
      int events = 20 + random.nextInt(40);
      long ts = START + (long) (random.nextDouble() * 3_600_000);
      for (int i = 0; i < events; i++) {
        double u = random.nextDouble();
        ts += u < 0.03 ? 0 : u < 0.5 ? (long) (random.nextDouble() * 300_000) : (long) (random.nextDouble() * 1_200_000);
        out.add(new Txn(card, ts, Math.round(Math.exp(3 + random.nextGaussian()) * 100) / 100.0, "m" + random.nextInt(50), -1));
      }
    }
    return out;
  }

  /** The transactions in arrival order (event time plus jitter), numbered by it. */
  static List<Txn> arrivals(List<Txn> txns, Random random) {
    List<long[]> order = new ArrayList<>();
    for (int i = 0; i < txns.size(); i++) {
      order.add(new long[] {txns.get(i).ts() + (long) (random.nextDouble() * JITTER_MS), i});
    }
    order.sort(Comparator.comparingLong(a -> a[0]));
    List<Txn> out = new ArrayList<>();
    for (long[] a : order) {
      Txn t = txns.get((int) a[1]);
      out.add(new Txn(t.card(), t.ts(), t.amount(), t.merchant(), out.size()));
    }
    return out;
  }

  /** The arrival number of the first transaction at or after {@link #CUT}. */
  static int firstAfter(List<Txn> arrivals) {
    return arrivals.stream().filter(t -> t.ts() >= CUT).mapToInt(Txn::seq).min().orElseThrow();
  }

  /**
   * Sends the transactions in order; with {@code last}, then an event of another entity a day later
   * that moves the watermark past every real transaction, so all of them are due (it never is).
   */
  static void produce(KafkaBroker broker, String topic, List<Txn> txns, boolean last) {
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      for (Txn t : txns) {
        ObjectNode json = Json.mapper().createObjectNode()
            .put("card_id", t.card()).put("ts", t.ts()).put("amount", t.amount()).put("merchant_id", t.merchant());
        producer.send(new ProducerRecord<>(topic, t.card(), json.toString()));
      }
      if (last) {
        long end = txns.stream().mapToLong(Txn::ts).max().orElseThrow() + Duration.ofDays(1).toMillis();
        producer.send(new ProducerRecord<>(topic, "end-of-test",
            "{\"card_id\":\"end-of-test\",\"ts\":" + end + ",\"amount\":0,\"merchant_id\":\"m\"}"));
      }
    }
  }

  /** The online index by card, once it holds {@code cards} documents, each at most once. */
  static Map<String, ObjectNode> online(ElasticsearchClient es, FeatureView view, int cards) throws Exception {
    Waits.until(cards + " documents in " + view.index(), WAIT, () -> {
      try {
        es.indices().refresh(r -> r.index(view.index()));
        return es.count(c -> c.index(view.index())).count() >= cards;
      } catch (Exception e) {
        return false;
      }
    }, () -> "logs in " + cluster.workDir());
    Map<String, ObjectNode> out = new HashMap<>();
    for (Hit<ObjectNode> hit : es.search(s -> s.index(view.index()).size(10_000), ObjectNode.class).hits().hits()) {
      assertThat(out.put(hit.id(), hit.source())).as("document " + hit.id()).isNull();
    }
    return out;
  }

  /**
   * A record without computed_at and freshness_ms: a record computed before the kill and again after
   * the restore differs in those only, and the guarded write keeps the first in the index.
   */
  static JsonNode withoutWallClock(JsonNode record) {
    ObjectNode copy = ((ObjectNode) record).deepCopy();
    copy.remove(List.of("computed_at", "freshness_ms"));
    return copy;
  }

  static String card(String id) {
    return id.substring(0, id.indexOf('@'));
  }

  static long asOf(String id) {
    return Long.parseLong(id.substring(id.indexOf('@') + 1));
  }

  static void log(String step, long t0) {
    System.out.printf("%6.1f s  %s%n", (System.nanoTime() - t0) / 1e9, step);
  }
}
