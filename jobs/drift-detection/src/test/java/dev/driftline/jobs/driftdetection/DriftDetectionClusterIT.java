package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.topics.Topic;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.metrics.DriftlineMetric;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.FlinkClusterExtension;
import dev.driftline.services.FlinkStandaloneCluster;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.PrometheusMetrics;
import dev.driftline.services.TopicReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shaded job jar on a real standalone Flink cluster (JobManager and TaskManager JVMs), submitted
 * with Flink's own client as {@code flink run} does, on the real Kafka broker and Elasticsearch node:
 * the first 65 minutes of traffic, stop with a savepoint while the window [60m, 70m) is half full,
 * the rest of the traffic, resume from the savepoint. The drift results must be exactly those of one
 * uninterrupted run — recomputed here in batch from the same events — once each in Elasticsearch
 * and on the {@code drift-results} topic (read_committed). The cluster is the module's shared one
 * ({@link FlinkClusterExtension}); the resumed job is cancelled at the end.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class, FlinkClusterExtension.class})
class DriftDetectionClusterIT {
  /** A month no other test of the module writes to the Elasticsearch node they share: the index holds this test's documents only. */
  static final Instant START = Instant.parse("2025-05-05T00:00:00Z");
  static final Duration TRAFFIC = Duration.ofHours(2);
  /** Not on a window boundary: one window is open across the savepoint. */
  static final Instant CUT = START.plus(Duration.ofMinutes(65));
  static final Duration WINDOW = DriftTraffic.WINDOW;
  /** Its month's index only: the other cluster tests of this module write other months. */
  static final String INDEX = DriftTraffic.index(START);
  static final Duration WAIT = Duration.ofSeconds(90);

  static FlinkStandaloneCluster cluster;
  static ElasticsearchClient es;
  static MonitorSpec spec;
  static final List<TrafficEvent> events = new ArrayList<>();
  /** Results of an uninterrupted run over all the traffic, by document id. */
  static Map<String, DriftResult> expected;
  static Map<String, DriftResult> expectedBeforeCut;
  static String firstJob;
  static String secondJob;
  static String savepoint;
  static List<ConsumerRecord<byte[], byte[]>> topic;
  static long secondPredictions;
  static List<PrometheusMetrics.Sample> metrics;

  @BeforeAll
  static void runStopAndResumeOnACluster() throws Exception {
    Path jar = Path.of(System.getProperty("driftline.job.jar", "(driftline.job.jar not set: run with mvn verify)"));
    assertThat(jar).as("the shaded job jar, built by package").isRegularFile();
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("user.dir"), "target"), "cluster-it-");

    spec = DriftTraffic.load(DriftTraffic.writeSpec(dir));
    events.addAll(DriftTraffic.generate(spec, START, TRAFFIC));
    List<TrafficEvent> first = events.stream().filter(e -> e.ts() < CUT.toEpochMilli()).toList();
    List<TrafficEvent> second = events.stream().filter(e -> e.ts() >= CUT.toEpochMilli()).toList();
    expectedBeforeCut = DriftTraffic.uninterrupted(spec, first);
    expected = DriftTraffic.uninterrupted(spec, events);

    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(2, "predictions", "labels", Topic.DRIFT_RESULTS.defaultName(), Topic.PERFORMANCE.defaultName(), "dead-letters");
    String[] args = {"--spec", dir.resolve("monitor.yaml").toString(), "--bootstrap-servers", broker.bootstrapServers(),
        "--es-url", ElasticsearchExtension.url(), "--checkpoint-interval", "2s", "--delivery", "exactly-once"};
    es = ElasticsearchConfig.of(ElasticsearchExtension.url()).newClient();

    long t0 = System.nanoTime();
    log(events.size() + " events (" + first.size() + " before the cut); expecting " + expected.size()
        + " drift results (" + expectedBeforeCut.size() + " before the cut)", t0);
    cluster = FlinkClusterExtension.cluster();
    DriftTraffic.produce(broker, first, "predictions", "labels");
    firstJob = cluster.submit(jar, args);
    log("first job submitted", t0);
    cluster.awaitRunning(firstJob, WAIT);
    await("the results of the windows closed before the cut in Elasticsearch", () -> driftDocs() == expectedBeforeCut.size());
    log("first results in Elasticsearch", t0);
    savepoint = cluster.stopWithSavepoint(firstJob);
    log("stopped with savepoint " + savepoint, t0);

    DriftTraffic.produce(broker, second, "predictions", "labels");
    secondJob = cluster.resume(jar, savepoint, args);
    cluster.awaitRunning(secondJob, WAIT);
    log("second job running", t0);
    await("all results in Elasticsearch", () -> driftDocs() >= expected.size());
    log("all results in Elasticsearch", t0);
    topic = TopicReader.readAll(broker.bootstrapServers(), Topic.DRIFT_RESULTS.defaultName(), expected.size());
    log("topic read", t0);
    // The resumed job counts from zero: the predictions after the cut, read from the TaskManager's /metrics.
    secondPredictions = second.stream().filter(e -> e.type() == TrafficEvent.Type.PREDICTION).count();
    await("the second job's predictions counted at " + cluster.taskManagerMetricsUrl(),
        () -> decodedPredictions(PrometheusMetrics.scrape(cluster.taskManagerMetricsUrl())) == secondPredictions);
    metrics = PrometheusMetrics.scrape(cluster.taskManagerMetricsUrl());
    log("metrics read", t0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (secondJob != null && cluster.unfinishedJobs().contains(secondJob)) {
      cluster.cancel(secondJob, WAIT);
    }
    if (es != null) {
      es.close();
    }
  }

  @Test
  void secondJobRunsFromTheSavepointOfTheFirst() throws Exception {
    assertThat(cluster.jobStatus(firstJob)).isEqualTo("FINISHED");
    assertThat(cluster.jobStatus(secondJob)).isEqualTo("RUNNING");
    assertThat(cluster.restoredFrom(secondJob)).isEqualTo(savepoint);
    assertThat(Path.of(URI.create(savepoint)).resolve("_metadata")).isRegularFile();
    // Results of windows [10m, 20m) … [100m, 110m): the first window has no previous one, and the
    // watermark stops 30 s before the last prediction. Before the cut, [10m, 20m) … [50m, 60m).
    assertThat(windows(expected.values())).hasSize(10).first().isEqualTo(START.plus(WINDOW).toString());
    assertThat(windows(expectedBeforeCut.values())).hasSize(5).last().isEqualTo(START.plus(Duration.ofMinutes(50)).toString());
  }

  @Test
  void elasticsearchHoldsEveryResultOfAnUninterruptedRunWrittenOnce() throws Exception {
    es.indices().refresh(r -> r.index(INDEX));
    var response = es.search(s -> s.index(INDEX).size(10_000).version(true), ObjectNode.class);
    Map<String, JsonNode> docs = new HashMap<>();
    for (Hit<ObjectNode> hit : response.hits().hits()) {
      assertThat(hit.version()).as("writes of " + hit.id()).isEqualTo(1L);
      assertThat(docs.put(hit.id(), DriftTraffic.withoutComputedAt(hit.source()))).isNull();
    }
    assertThat(docs.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((id, r) -> assertThat(docs.get(id)).as(id).isEqualTo(DriftTraffic.withoutComputedAt(DriftTraffic.asJson(r))));
  }

  @Test
  void driftResultsTopicHasEachResultOnceAndNoWindowMissing() throws Exception {
    Map<String, Integer> copies = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record : topic) {
      JsonNode r = Json.mapper().readTree(record.value());
      String id = DriftTraffic.id(r);
      copies.merge(id, 1, Integer::sum);
      assertThat(DriftTraffic.withoutComputedAt(r)).as(id).isEqualTo(DriftTraffic.withoutComputedAt(DriftTraffic.asJson(expected.get(id))));
    }
    assertThat(copies).allSatisfy((id, n) -> assertThat(n).as("copies of " + id).isEqualTo(1));
    assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
  }

  static List<String> windows(java.util.Collection<DriftResult> results) {
    return results.stream().map(DriftResult::windowStart).distinct().sorted().toList();
  }

  /** Drift documents searchable now; -1 while Elasticsearch cannot count them yet (e.g. 503 while the index's shards start). */
  static double decodedPredictions(List<PrometheusMetrics.Sample> samples) {
    return PrometheusMetrics.sum(samples, DriftlineMetric.RECORDS_DECODED.prometheusName(),
        s -> "decode:predictions".equals(s.label("source")) && secondJob.equals(s.label("job_id")));
  }

  @Test
  void theTaskManagerServesTheRunningJobsDriftlineMetrics() {
    assertThat(decodedPredictions(metrics)).isEqualTo(secondPredictions);
    assertThat(PrometheusMetrics.sum(metrics, DriftlineMetric.DEAD_LETTERS.prometheusName(), s -> true)).isZero();
    // The windows the second job closed: every result after the cut went through it.
    assertThat(PrometheusMetrics.sum(metrics, DriftlineMetric.DRIFT_RESULTS.prometheusName(),
        s -> secondJob.equals(s.label("job_id")) && "__all__".equals(s.label("segment")))).isPositive();
  }

  static long driftDocs() {
    try {
      es.indices().refresh(r -> r.index(INDEX));
      return es.count(c -> c.index(INDEX)).count();
    } catch (Exception e) {
      System.out.println("counting drift documents: " + e.getMessage());
      return -1;
    }
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what + " (" + driftDocs()
            + " drift documents; logs in " + cluster.workDir() + ")");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static void log(String step, long t0) {
    System.out.printf("%6.1f s  %s%n", (System.nanoTime() - t0) / 1e9, step);
  }
}
