package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.services.FlinkClusterExtension;
import dev.driftline.services.FlinkStandaloneCluster;
import dev.driftline.services.ScramKafkaBroker;
import dev.driftline.services.ScramKafkaExtension;
import dev.driftline.services.SecuredElasticsearchExtension;
import dev.driftline.services.SecuredElasticsearchNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shaded drift job submitted with {@code flink run} to a real standalone cluster (as
 * {@link DriftDetectionClusterIT} does), reading Kafka
 * through SASL/SCRAM and writing to Elasticsearch with security on (https with its own CA, a user),
 * both secrets given as files ({@code --kafka-properties-file}, {@code --es-password-file}). The
 * documents must be those a batch recomputation of the same traffic gives; neither secret may show
 * in any log of the run (client, JobManager, TaskManager, the services, this test's output) nor in
 * the job's configuration as the REST API (the web UI) shows it. A wrong password, an untrusted
 * certificate or a wrong Kafka password stops the job's main with one line and exit code 2. The
 * cluster is the module's shared one ({@link FlinkClusterExtension}); the job is cancelled at the end.
 */
@ExtendWith({SecuredElasticsearchExtension.class, ScramKafkaExtension.class, FlinkClusterExtension.class})
class SecuredServicesClusterIT {
  static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
  static final Duration TRAFFIC = Duration.ofMinutes(40);
  static final Duration WAIT = Duration.ofSeconds(120);

  static Path dir;
  static SecuredElasticsearchNode es;
  static ScramKafkaBroker kafka;
  static FlinkStandaloneCluster cluster;
  static MonitorSpec spec;
  static Path specFile;
  static Path passwordFile;
  static Path kafkaProperties;
  static String jobId;
  static Map<String, DriftResult> expected;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void runTheJobOnTheSecuredServices() throws Exception {
    Path jar = Path.of(System.getProperty("driftline.job.jar", "(driftline.job.jar not set: run with mvn verify)"));
    assertThat(jar).as("the shaded job jar, built by package").isRegularFile();
    dir = Files.createTempDirectory(Path.of(System.getProperty("user.dir"), "target"), "secured-it-");
    es = SecuredElasticsearchExtension.node();
    kafka = ScramKafkaExtension.broker();

    String yaml = Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
        .replaceAll("(?s)fields:.*?classification_threshold", "fields: {entity: entity_id}\nclassification_threshold")
        .replaceAll("(?s)reference:.*?window:", "reference: {source: previous_window}\n\nwindow:")
        .replaceAll("(?s)window:.*?tests:", "window: {size: 10m, max_out_of_orderness: 30s, idle_timeout: 2s}\n\ntests:")
        .replaceAll("(?s)tests:.*?multiple_testing", "tests:\n  numeric: {ks: {alpha: 0.01}}\n"
            + "  categorical: {chi2: {alpha: 0.01}}\n\nmultiple_testing");
    specFile = Files.writeString(dir.resolve("monitor.yaml"), yaml);
    spec = MonitorSpecParser.load(specFile);
    List<TrafficEvent> events = new ArrayList<>();
    new TrafficGenerator(TrafficConfig.of(spec, START, TRAFFIC, 1, 23)).forEachRemaining(events::add);
    // The spec keeps DriftTraffic's 10-minute windows and 30 s out-of-orderness.
    expected = DriftTraffic.uninterrupted(spec, events);

    passwordFile = Files.writeString(dir.resolve("es-password"), es.password() + "\n");
    kafkaProperties = Files.writeString(dir.resolve("kafka.properties"), String.join("\n",
        "security.protocol=SASL_PLAINTEXT", "sasl.mechanism=" + ScramKafkaBroker.MECHANISM,
        "sasl.jaas.config=" + ScramKafkaBroker.jaasConfig(kafka.password()).replace("\"", "\\\""), ""));
    kafka.createTopics(2, "predictions", "labels");
    try (KafkaProducer<String, String> producer = kafka.stringProducer()) {
      for (TrafficEvent e : events) {
        producer.send(new ProducerRecord<>(e.type() == TrafficEvent.Type.PREDICTION ? "predictions" : "labels", e.key(), e.json()));
      }
    }

    cluster = FlinkClusterExtension.cluster();
    jobId = cluster.submit(jar, args(es.caCertificate(), passwordFile, kafkaProperties));
    cluster.awaitRunning(jobId, WAIT);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (driftDocs() < expected.size() && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
  }

  /** Drift documents searchable now; -1 while the index does not exist yet. */
  static long driftDocs() {
    try {
      es.request("POST", "/" + DriftOutputs.DRIFT_INDEX_PREFIX + "*/_refresh", null);
      return Json.mapper().readTree(es.request("GET", "/" + DriftOutputs.DRIFT_INDEX_PREFIX + "*/_count", null)).path("count").asLong();
    } catch (Exception notYet) {
      return -1;
    }
  }

  @AfterAll
  static void stop() {
    if (jobId != null && cluster.unfinishedJobs().contains(jobId)) {
      cluster.cancel(jobId, WAIT);
    }
  }

  static String[] args(Path ca, Path password, Path kafkaFile) {
    return new String[] {"--spec", specFile.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
        "--kafka-properties-file", kafkaFile.toString(), "--es-url", es.httpsUrl(), "--es-ca-cert", ca.toString(),
        "--es-username", "driftline", "--es-password-file", password.toString(), "--checkpoint-interval", "2s",
        "--group-id", "secured-it"};
  }

  @Test
  void elasticsearchHoldsEveryResultOfTheTrafficThroughSasl() throws Exception {
    assertThat(cluster.jobStatus(jobId)).isEqualTo("RUNNING");
    es.request("POST", "/" + DriftOutputs.DRIFT_INDEX_PREFIX + "*/_refresh", null);
    JsonNode hits = Json.mapper().readTree(es.request("POST", "/" + DriftOutputs.DRIFT_INDEX_PREFIX + "*/_search",
        "{\"size\":10000}")).path("hits").path("hits");
    Map<String, JsonNode> docs = new HashMap<>();
    for (JsonNode hit : hits) {
      assertThat(docs.put(hit.path("_id").asText(), withoutComputedAt(hit.path("_source")))).isNull();
    }
    // windows [10m, 20m) and [20m, 30m), each against the one before it; the watermark stops 30 s before the last prediction
    assertThat(expected.values().stream().map(DriftResult::windowStart).distinct().sorted().toList())
        .containsExactly("2026-06-01T00:10:00Z", "2026-06-01T00:20:00Z");
    assertThat(docs.keySet()).as(() -> diagnosis()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((id, r) -> assertThat(docs.get(id)).as(id).isEqualTo(withoutComputedAt(asJson(r))));
  }

  @Test
  void noSecretInAnyLogOrInTheJobConfigurationTheWebUiShows() throws Exception {
    List<Path> logs = new ArrayList<>();
    try (Stream<Path> files = Stream.of(cluster.workDir(), kafka.workDir(), es.logFile().getParent(),
        Path.of(System.getProperty("user.dir"), "target", "surefire-reports")).filter(Files::isDirectory).flatMap(SecuredServicesClusterIT::walk)) {
      files.filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".out") || p.toString().endsWith(".txt")).forEach(logs::add);
    }
    assertThat(logs).extracting(p -> p.getFileName().toString())
        .contains("jobmanager.log", "taskmanager.log", "client.log", "kafka.log", es.logFile().getFileName().toString());
    for (Path log : logs) {
      String text = Files.readString(log, StandardCharsets.ISO_8859_1);
      assertThat(text).as(log.toString()).doesNotContain(es.password()).doesNotContain(kafka.password());
    }
    // the client did log the submission, so the search above looked at the right files
    assertThat(Files.readString(cluster.workDir().resolve("client.log"))).contains(jobId);

    for (String path : List.of("/jobs/" + jobId + "/config", "/jobs/" + jobId + "/jobmanager/config", "/jobs/" + jobId,
        "/jobs/" + jobId + "/plan", "/jobmanager/config")) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cluster.restUrl() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.body()).as(path).doesNotContain(es.password()).doesNotContain(kafka.password());
    }
  }

  @Test
  void aWrongPasswordAnUntrustedCertificateOrAWrongKafkaPasswordStopsTheMainWithOneLine() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong-es-password"), "not-" + es.password() + "\n");
    assertThat(main(args(es.caCertificate(), wrong, kafkaProperties))).containsExactly("2",
        "drift-detection: Elasticsearch at " + es.httpsUrl() + ": authentication failed (401) for user \"driftline\"");
    assertThat(main(args(es.otherCaCertificate(), passwordFile, kafkaProperties))).containsExactly("2",
        "drift-detection: Elasticsearch at " + es.httpsUrl() + ": certificate not trusted by the CA in "
            + es.otherCaCertificate() + " (PKIX path building failed)");

    Path wrongKafka = Files.writeString(dir.resolve("wrong-kafka.properties"),
        Files.readString(kafkaProperties).replace(kafka.password(), "not-the-password"));
    assertThat(main(args(es.caCertificate(), passwordFile, wrongKafka))).containsExactly("2",
        "drift-detection: Kafka at " + kafka.bootstrapServers() + ": authentication failed (SASL SCRAM-SHA-256) for user \"driftline\"");
  }

  /** What the run left, for a failure message. */
  static String diagnosis() {
    try {
      return "indices: " + es.request("GET", "/_cat/indices/driftline-*?h=index,docs.count", null).replace('\n', ';')
          + " drift-results: " + dev.driftline.services.TopicReader.readAll(kafka.plaintextBootstrapServers(), "drift-results", 1).size()
          + " dead letters: " + dev.driftline.services.TopicReader.readAll(kafka.plaintextBootstrapServers(), "dead-letters", 1).stream()
              .limit(2).map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    } catch (Exception e) {
      return "(no diagnosis: " + e + ")";
    }
  }

  static String[] main(String... args) {
    StringWriter err = new StringWriter();
    int code = DriftDetectionCommand.execute(args, new PrintWriter(err, true));
    String text = err.toString();
    assertThat(text).doesNotContain(es.password()).doesNotContain(kafka.password());
    return new String[] {Integer.toString(code), text.strip()};
  }

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

  /** The regular files under {@code dir}; files deleted while it walks (a cancelled job's RocksDB files) are left out. */
  private static Stream<Path> walk(Path dir) {
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
        @Override
        public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            files.add(file);
          }
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFileFailed(Path file, java.io.IOException e) throws java.io.IOException {
          if (e instanceof java.nio.file.NoSuchFileException) {
            return java.nio.file.FileVisitResult.CONTINUE;
          }
          throw e;
        }
      });
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return files.stream();
  }
}
