package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.connectors.elasticsearch.ElasticsearchConfig;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.core.window.Baseline;
import dev.driftline.core.window.DriftResult;
import dev.driftline.core.window.WindowDrift;
import dev.driftline.core.window.WindowSummary;
import dev.driftline.testing.ElasticsearchExtension;
import dev.driftline.testing.FlinkStandaloneCluster;
import dev.driftline.testing.KafkaBroker;
import dev.driftline.testing.KafkaExtension;
import dev.driftline.testing.TopicReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
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
 * and on the {@code drift-results} topic (read_committed).
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class DriftDetectionClusterIT {
  static final Instant START = Instant.parse("2026-05-04T00:00:00Z");
  static final Duration TRAFFIC = Duration.ofHours(2);
  /** Not on a window boundary: one window is open across the savepoint. */
  static final Instant CUT = START.plus(Duration.ofMinutes(65));
  static final Duration WINDOW = Duration.ofMinutes(10);
  static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(30);
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

  @BeforeAll
  static void runStopAndResumeOnACluster() throws Exception {
    Path jar = Path.of(System.getProperty("driftline.job.jar", "(driftline.job.jar not set: run with mvn verify)"));
    assertThat(jar).as("the shaded job jar, built by package").isRegularFile();
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("user.dir"), "target"), "cluster-it-");

    String yaml = Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
        .replaceAll("(?s)fields:.*?classification_threshold", "fields: {entity: entity_id}\nclassification_threshold")
        .replaceAll("(?s)reference:.*?window:", "reference: {source: previous_window}\n\nwindow:")
        // A short idle timeout: the topics have two partitions, and all of a model's records are in one.
        .replaceAll("(?s)window:.*?tests:", "window: {size: 10m, max_out_of_orderness: 30s, idle_timeout: 2s}\n\ntests:")
        .replaceAll("(?s)tests:.*?multiple_testing", "tests:\n  numeric: {ks: {alpha: 0.01}, psi: {threshold: 0.25}}\n"
            + "  categorical: {chi2: {alpha: 0.01}, psi: {threshold: 0.25}}\n\nmultiple_testing");
    Path specFile = dir.resolve("monitor.yaml");
    Files.writeString(specFile, yaml);
    spec = MonitorSpecParser.load(specFile);
    new TrafficGenerator(TrafficConfig.of(spec, START, TRAFFIC, 1, 11).withLabels(Duration.ofMinutes(5), 0.05))
        .forEachRemaining(events::add);
    List<TrafficEvent> first = events.stream().filter(e -> e.ts() < CUT.toEpochMilli()).toList();
    List<TrafficEvent> second = events.stream().filter(e -> e.ts() >= CUT.toEpochMilli()).toList();
    expectedBeforeCut = uninterrupted(first);
    expected = uninterrupted(events);

    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(2, "predictions", "labels", DriftOutputs.DRIFT_TOPIC, DriftOutputs.PERFORMANCE_TOPIC, "dead-letters");
    String[] args = {"--spec", specFile.toString(), "--bootstrap-servers", broker.bootstrapServers(),
        "--es-url", ElasticsearchExtension.url(), "--checkpoint-interval", "2s", "--delivery", "exactly-once"};
    es = ElasticsearchConfig.of(ElasticsearchExtension.url()).newClient();

    long t0 = System.nanoTime();
    log(events.size() + " events (" + first.size() + " before the cut); expecting " + expected.size()
        + " drift results (" + expectedBeforeCut.size() + " before the cut)", t0);
    cluster = FlinkStandaloneCluster.start(dir.resolve("flink"));
    log("cluster up", t0);
    produce(broker, first);
    firstJob = cluster.submit(jar, args);
    log("first job submitted", t0);
    cluster.awaitRunning(firstJob, WAIT);
    await("the results of the windows closed before the cut in Elasticsearch", () -> driftDocs() == expectedBeforeCut.size());
    log("first results in Elasticsearch", t0);
    savepoint = cluster.stopWithSavepoint(firstJob);
    log("stopped with savepoint " + savepoint, t0);

    produce(broker, second);
    secondJob = cluster.resume(jar, savepoint, args);
    cluster.awaitRunning(secondJob, WAIT);
    log("second job running", t0);
    await("all results in Elasticsearch", () -> driftDocs() >= expected.size());
    log("all results in Elasticsearch", t0);
    topic = TopicReader.readAll(broker.bootstrapServers(), DriftOutputs.DRIFT_TOPIC, expected.size());
    log("topic read", t0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
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
    es.indices().refresh(r -> r.index(DriftOutputs.DRIFT_INDEX_PREFIX + "*"));
    var response = es.search(s -> s.index(DriftOutputs.DRIFT_INDEX_PREFIX + "*").size(10_000).version(true), ObjectNode.class);
    Map<String, JsonNode> docs = new HashMap<>();
    for (Hit<ObjectNode> hit : response.hits().hits()) {
      assertThat(hit.version()).as("writes of " + hit.id()).isEqualTo(1L);
      assertThat(docs.put(hit.id(), withoutComputedAt(hit.source()))).isNull();
    }
    assertThat(docs.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((id, r) -> assertThat(docs.get(id)).as(id).isEqualTo(withoutComputedAt(asJson(r))));
  }

  @Test
  void driftResultsTopicHasEachResultOnceAndNoWindowMissing() throws Exception {
    Map<String, Integer> copies = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record : topic) {
      JsonNode r = Json.mapper().readTree(record.value());
      String id = String.join("|", r.get("model_id").asText(), r.get("segment").asText(), r.get("feature").asText(),
          r.get("test").asText(), r.get("window_start").asText(), r.get("window_end").asText());
      copies.merge(id, 1, Integer::sum);
      assertThat(withoutComputedAt(r)).as(id).isEqualTo(withoutComputedAt(asJson(expected.get(id))));
    }
    assertThat(copies).allSatisfy((id, n) -> assertThat(n).as("copies of " + id).isEqualTo(1));
    assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
  }

  /**
   * What one run over {@code traffic} emits: every window closed by the final watermark (the last
   * prediction's time less the out-of-orderness), tested against the window before it.
   */
  static Map<String, DriftResult> uninterrupted(List<TrafficEvent> traffic) {
    PredictionDecoder decoder = new PredictionDecoder(new ModelRegistry(List.of(spec)));
    long size = WINDOW.toMillis();
    TreeMap<Long, WindowSummary> windows = new TreeMap<>();
    long maxTs = Long.MIN_VALUE;
    for (TrafficEvent e : traffic) {
      if (e.type() == TrafficEvent.Type.PREDICTION) {
        Prediction p = decoder.decode(e.json().getBytes(StandardCharsets.UTF_8)).value();
        windows.computeIfAbsent(p.timestamp() - Math.floorMod(p.timestamp(), size), s -> WindowSummary.empty(spec)).add(p);
        maxTs = Math.max(maxTs, p.timestamp());
      }
    }
    long watermark = maxTs - OUT_OF_ORDERNESS.toMillis() - 1;
    Map<String, DriftResult> out = new HashMap<>();
    WindowSummary previous = null;
    long previousStart = 0;
    for (var w : windows.entrySet()) {
      long start = w.getKey();
      if (start + size - 1 > watermark) {
        break;
      }
      if (previous != null) {
        Baseline baseline = Baseline.fromWindow(previous, spec, "previous-window:"
            + Instant.ofEpochMilli(previousStart) + "/" + Instant.ofEpochMilli(previousStart + size));
        WindowDrift.evaluate(spec, baseline, w.getValue()).forEach(d -> {
          DriftResult r = DriftResult.of(spec.modelId(), DriftResult.ALL_SEGMENTS, start, start + size, d,
              baseline.referenceId(), 0);
          out.put(r.id(), r);
        });
      }
      previous = w.getValue();
      previousStart = start;
    }
    return out;
  }

  static List<String> windows(java.util.Collection<DriftResult> results) {
    return results.stream().map(DriftResult::windowStart).distinct().sorted().toList();
  }

  /** As the job writes it (numbers typed as a reader of its JSON sees them). */
  static JsonNode asJson(DriftResult r) {
    try {
      return Json.mapper().readTree(Json.bytes(r));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static JsonNode withoutComputedAt(JsonNode r) {
    ObjectNode copy = ((ObjectNode) r).deepCopy();
    copy.remove("computed_at");
    return copy;
  }

  /** Drift documents searchable now; -1 while Elasticsearch cannot count them yet (e.g. 503 while the index's shards start). */
  static long driftDocs() {
    try {
      es.indices().refresh(r -> r.index(DriftOutputs.DRIFT_INDEX_PREFIX + "*"));
      return es.count(c -> c.index(DriftOutputs.DRIFT_INDEX_PREFIX + "*")).count();
    } catch (Exception e) {
      System.out.println("counting drift documents: " + e.getMessage());
      return -1;
    }
  }

  static void produce(KafkaBroker broker, List<TrafficEvent> traffic) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (TrafficEvent e : traffic) {
        producer.send(new ProducerRecord<>(e.type() == TrafficEvent.Type.PREDICTION ? "predictions" : "labels", e.key(), e.json()));
      }
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
