package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.topics.Topic;
import dev.driftline.runtime.metrics.DriftlineMetric;
import dev.driftline.services.ElasticsearchNode;
import dev.driftline.services.FlinkStandaloneCluster;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.ProcessTrees;
import dev.driftline.services.PrometheusMetrics;
import dev.driftline.services.RequiredTool;
import dev.driftline.services.TopicReader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * docs/deploy.md followed by a test: its {@code <!-- tested -->} blocks run in page order as one
 * bash script from the repository root, with the settings block replaced by this test's addresses
 * (a real Kafka broker, Elasticsearch node and standalone Flink cluster of its own, started side by
 * side, so the default topics and indices the guide creates are new to them; the cluster's client is
 * the {@code flink} on {@code PATH}), after {@code mvn package} has built the job jars and
 * {@code bin/driftline}. Then the three jobs the guide submitted must be running, and drift results
 * of the guide's model must arrive on {@code drift-results} (read_committed) and in Elasticsearch,
 * the moved feature flagged.
 */
@ExtendWith(DeployGuideIT.OwnServices.class)
class DeployGuideIT {
  static final String GUIDE = "docs/deploy.md";
  static final String MODEL = "first-try";
  static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(4);
  static final Duration WAIT = Duration.ofSeconds(90);
  static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
  static final List<String> JARS = List.of(
      "jobs/drift-detection/target/driftline-drift-detection-0.1.0-SNAPSHOT.jar",
      "jobs/retrain-trigger/target/driftline-retrain-trigger-0.1.0-SNAPSHOT.jar",
      "jobs/feature-pipeline/target/driftline-feature-pipeline-0.1.0-SNAPSHOT.jar");

  static final Path ROOT = DocsTest.repoRoot();
  static FlinkStandaloneCluster cluster;
  static Path dir;
  static long t0;
  static CompletableFuture<FlinkStandaloneCluster> clusterStarting;
  static CompletableFuture<KafkaBroker> brokerStarting;
  static CompletableFuture<ElasticsearchNode> nodeStarting;
  static KafkaBroker broker;
  static ElasticsearchNode node;
  static String output;
  static List<String> jobIds;
  static List<JsonNode> driftResults;
  static long driftDocs;
  static Instant trafficStart;
  static List<JsonNode> triggers;
  static List<JsonNode> performance;
  static List<PrometheusMetrics.Sample> metrics;
  static final Pattern TRAFFIC = Pattern.compile("first-try: \\d+ predictions, .*; (\\S+) to (\\S+); produced to");

  @BeforeAll
  static void followTheGuide() throws Exception {
    RequiredTool.require(onPath("bash"), "bash not found on PATH: the guide's blocks run in bash");
    RequiredTool.require(onPath("curl"), "curl not found on PATH: the guide installs the index templates with curl");
    for (String jar : JARS) {
      assertThat(ROOT.resolve(jar)).as("the job jar the guide submits, built by mvn package before this test").isRegularFile();
    }
    List<GuideBlocks.Block> blocks = GuideBlocks.parse(Files.readString(ROOT.resolve(GUIDE)), GUIDE);
    try {
      broker = brokerStarting.join();
      node = nodeStarting.join();
      cluster = clusterStarting.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    log("Kafka, Elasticsearch and the cluster up", t0);
    Path bin = dir.resolve("bin");
    cluster.installClient(bin);
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("KAFKA", broker.bootstrapServers());
    settings.put("ES_URL", node.httpUrl());
    settings.put("CHECKPOINTS", dir.resolve("checkpoints").toUri().toString().replaceAll("/$", ""));
    settings.put("CHECKPOINT_INTERVAL", "3s");
    settings.put("PARTITIONS", "1");
    settings.put("REPLICATION", "1");
    settings.put("MIN_INSYNC_REPLICAS", "1");
    settings.put("SPECS", dir.resolve("specs").toString());
    GuideBlocks.Block settingsBlock = blocks.stream().filter(GuideBlocks.Block::settings).findFirst().orElseThrow();
    assertThat(GuideBlocks.variables(settingsBlock)).as("the variables of the guide's settings block, which this test sets")
        .containsExactlyElementsOf(settings.keySet());
    StringBuilder replaced = new StringBuilder();
    settings.forEach((k, v) -> replaced.append(k).append('=').append(shellQuote(v)).append('\n'));
    String script = GuideBlocks.script(blocks, replaced.toString(), GUIDE);
    Path scriptFile = dir.resolve("deploy-guide.sh");
    Files.writeString(scriptFile, script, StandardCharsets.UTF_8);

    Path out = dir.resolve("deploy-guide.out");
    ProcessBuilder pb = new ProcessBuilder("bash", "-x", scriptFile.toString()).directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
    Process p = pb.start();
    if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      ProcessTrees.destroy(p);
      throw new AssertionError("the guide's blocks did not finish within " + SCRIPT_TIMEOUT.toMinutes() + " min; see " + out);
    }
    output = Files.readString(out);
    assertThat(p.exitValue()).as("exit code of the guide's blocks (" + scriptFile + "); output:\n" + output).isZero();
    log("the guide's blocks ran", t0);

    Matcher traffic = TRAFFIC.matcher(output);
    assertThat(traffic.find()).as("driftline generate's summary in the output:\n" + output).isTrue();
    trafficStart = Instant.parse(traffic.group(1));
    jobIds = new ArrayList<>();
    Matcher m = JOB_ID.matcher(output);
    while (m.find()) {
      jobIds.add(m.group(1));
    }
    for (String id : jobIds) {
      cluster.awaitRunning(id, WAIT);
    }
    log("jobs running", t0);
    String bootstrap = broker.bootstrapServers();
    driftResults = await("drift results of " + MODEL + " on " + Topic.DRIFT_RESULTS.defaultName(), () -> {
      List<JsonNode> r = ofModel(TopicReader.readAll(bootstrap, Topic.DRIFT_RESULTS.defaultName(), 1));
      return r.isEmpty() ? null : r;
    });
    log(driftResults.size() + " drift results on the topic", t0);
    // Once a window is committed, the later ones follow within a checkpoint or two: wait until the count settles.
    int settled = -1;
    while (settled != driftResults.size()) {
      settled = driftResults.size();
      Thread.sleep(4_000);
      driftResults = ofModel(TopicReader.readAll(bootstrap, Topic.DRIFT_RESULTS.defaultName(), settled));
    }
    int expectedDocs = driftResults.size();
    driftDocs = await("the drift results of " + MODEL + " in Elasticsearch", () -> {
      long n = count("driftline-drift-*", "model_id:" + MODEL);
      return n >= expectedDocs ? n : null;
    });
    log(driftDocs + " drift documents", t0);
    triggers = await("a retrain trigger for " + MODEL, () -> {
      List<JsonNode> r = ofModel(TopicReader.readAll(bootstrap, Topic.RETRAIN_TRIGGERS.defaultName(), 1));
      return r.isEmpty() ? null : r;
    });
    log(triggers.size() + " retrain triggers", t0);
    performance = await("performance of " + MODEL + " on " + Topic.PERFORMANCE.defaultName(), () -> {
      List<JsonNode> r = ofModel(TopicReader.readAll(bootstrap, Topic.PERFORMANCE.defaultName(), 1));
      return r.isEmpty() ? null : r;
    });
    log(performance.size() + " performance records", t0);
    metrics = PrometheusMetrics.scrape(cluster.taskManagerMetricsUrl());
  }

  /**
   * The guide's broker, node and standalone cluster (three jobs side by side, one slot each), started
   * at the same time before the class; each is stopped after the class, whether or not it came up in
   * time for the guide.
   */
  static final class OwnServices implements BeforeAllCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
      t0 = System.nanoTime();
      dir = Files.createTempDirectory(Path.of(System.getProperty("user.dir"), "target"), "deploy-guide-");
      brokerStarting = CompletableFuture.supplyAsync(() -> KafkaBroker.start(dir.resolve("kafka"), 0));
      nodeStarting = CompletableFuture.supplyAsync(() -> {
        try {
          return ElasticsearchNode.start(dir.resolve("elasticsearch-logs"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      });
      clusterStarting = CompletableFuture.supplyAsync(() -> FlinkStandaloneCluster.start(dir.resolve("flink"), 3, 1));
    }

    @Override
    public void afterAll(ExtensionContext context) {
      for (CompletableFuture<? extends AutoCloseable> starting : Arrays.asList(clusterStarting, brokerStarting, nodeStarting)) {
        AutoCloseable started = starting == null ? null : starting.exceptionally(failure -> null).join();
        if (started != null) {
          try {
            started.close();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
  }

  @Test
  void theGuideSubmitsTheThreeJobsAndTheyRun() {
    assertThat(jobIds).as("job ids printed by the guide's flink run commands").hasSize(3).doesNotHaveDuplicates();
    assertThat(jobIds).allSatisfy(id -> assertThat(cluster.jobStatus(id)).isEqualTo("RUNNING"));
    // The guide's `flink list -r` shows them.
    assertThat(jobIds).allSatisfy(id -> assertThat(output).containsPattern(id + " : .*\\(RUNNING\\)"));
  }

  @Test
  void theGuidesSpecIsValidAndItsTopicsAreCreated() {
    assertThat(output).contains("first-try.yaml: valid. model first-try (binary_classification), 2 features");
    assertThat(output).contains("baselines: created (cleanup.policy=compact");
  }

  @Test
  void driftResultsOfTheGuidesModelArriveOnTheTopicAndInElasticsearch() {
    // Every closed one-minute window after the first (which has no previous window to compare with):
    // 4 segments (3 and __all__) x 3 features (amount, channel, the score) x 2 tests.
    Map<String, Long> perWindow = new TreeMap<>();
    for (JsonNode r : driftResults) {
      assertThat(r.path("feature").asText()).isIn("amount", "channel", "score");
      Instant start = Instant.parse(r.path("window_start").asText());
      assertThat(Duration.between(start, Instant.parse(r.path("window_end").asText()))).isEqualTo(Duration.ofMinutes(1));
      perWindow.merge(start.toString(), 1L, Long::sum);
    }
    Instant firstWindow = trafficStart.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    List<String> windows = new ArrayList<>(perWindow.keySet());
    assertThat(windows).as("windows with results").hasSizeGreaterThanOrEqualTo(8).first().isEqualTo(firstWindow.toString());
    for (int i = 0; i < windows.size(); i++) {
      assertThat(windows.get(i)).isEqualTo(firstWindow.plus(Duration.ofMinutes(i)).toString());
    }
    assertThat(perWindow).allSatisfy((w, n) -> assertThat(n).as("results of window " + w).isEqualTo(24L));
    assertThat(driftDocs).as("documents in driftline-drift-*").isEqualTo(driftResults.size());
  }

  @Test
  void theShiftedFeatureIsFlaggedWhereTheGuideShiftsIt() {
    // The guide's traffic: 10 minutes ending when it was generated, amount shifted from minute 5 on.
    // Each window is compared with the one before: the window where amount moves flags it, or, when
    // the shift comes in its last seconds, the next one (all shifted, against one hardly shifted).
    Instant shifted = trafficStart.plus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MINUTES);
    List<String> flaggedWindows = driftResults.stream()
        .filter(r -> r.path("feature").asText().equals("amount") && r.path("segment").asText().equals("__all__")
            && r.path("drift").asBoolean())
        .map(r -> r.path("window_start").asText()).distinct().toList();
    assertThat(flaggedWindows).as("windows where amount drifted over all segments")
        .containsAnyOf(shifted.toString(), shifted.plus(Duration.ofMinutes(1)).toString());
  }

  @Test
  void theTriggerJobAsksForRetrainingAfterTheShift() {
    assertThat(triggers).isNotEmpty().allSatisfy(t -> assertThat(t.path("model_id").asText()).isEqualTo(MODEL));
  }

  @Test
  void performanceOfTheGuidesModelArrives() {
    assertThat(performance).isNotEmpty().allSatisfy(p -> {
      Instant start = Instant.parse(p.path("window_start").asText());
      assertThat(start).isAfterOrEqualTo(trafficStart.truncatedTo(ChronoUnit.MINUTES));
      assertThat(Duration.between(start, Instant.parse(p.path("window_end").asText()))).isEqualTo(Duration.ofMinutes(1));
    });
  }

  /**
   * The feature pipeline the guide submits registers its four metrics per view at start, under their
   * {@link DriftlineMetric} names (earlier builds registered freshnessMs, lastFreshnessMs,
   * featureUpdates and forgottenEntities, outside the driftline group): the TaskManager's
   * {@code /metrics} has each for the example view, and none of the old names.
   */
  @Test
  void theFeaturePipelineExportsItsMetricsUnderTheirDriftlineNames() {
    for (DriftlineMetric m : List.of(DriftlineMetric.FEATURE_UPDATES, DriftlineMetric.ENTITIES_FORGOTTEN,
        DriftlineMetric.FRESHNESS, DriftlineMetric.LAST_FRESHNESS)) {
      assertThat(metrics).as(m.prometheusName() + " at " + cluster.taskManagerMetricsUrl())
          .anySatisfy(s -> {
            assertThat(s.name()).isEqualTo(m.prometheusName());
            assertThat(s.label("view")).isEqualTo("card_transactions");
          });
    }
    assertThat(metrics).noneSatisfy(s -> assertThat(s.name()).containsAnyOf("freshnessMs", "FreshnessMs", "featureUpdates",
        "forgottenEntities"));
  }

  static List<JsonNode> ofModel(List<ConsumerRecord<byte[], byte[]>> records) {
    List<JsonNode> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      try {
        JsonNode n = Json.mapper().readTree(r.value());
        if (MODEL.equals(n.path("model_id").asText())) {
          out.add(n);
        }
      } catch (IOException e) {
        throw new AssertionError(r.topic() + " offset " + r.offset() + ": not JSON: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** Documents matching a Lucene query; 0 while no index matches yet. */
  static long count(String index, String query) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(node.httpUrl() + "/" + index + "/_count?q=" + query))
        .timeout(Duration.ofSeconds(10)).GET().build();
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return 0;
      }
      return Json.mapper().readTree(response.body()).path("count").asLong();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static <T> T await(String what, Supplier<T> value) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    T v;
    while ((v = value.get()) == null) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what + "; logs in " + cluster.workDir()
            + "; the guide's output:\n" + output);
      }
      ProcessTrees.pause(500);
    }
    return v;
  }

  static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  static void log(String step, long t0) {
    System.out.printf("%6.1f s  %s%n", (System.nanoTime() - t0) / 1e9, step);
  }
}
