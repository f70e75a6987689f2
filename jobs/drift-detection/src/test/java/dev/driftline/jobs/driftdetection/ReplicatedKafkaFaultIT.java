package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.runtime.kafka.StartFrom;
import dev.driftline.services.CommittedRecords;
import dev.driftline.services.FaultNumbers;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.KafkaCluster;
import dev.driftline.services.ReliabilityLog;
import dev.driftline.services.TopicReader;
import dev.driftline.services.Waits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The drift job on three Kafka brokers (KRaft, replication factor 3, min.insync.replicas 2, the
 * transaction log alike) with exactly-once outputs: after its first committed results, the broker
 * that leads every partition of the predictions and drift-results topics (and of the job's other
 * topics) and the controller quorum is killed with SIGKILL and stays dead; the rest of the traffic is produced meanwhile with
 * acks=all. A read_committed consumer must then see exactly the drift results of an uninterrupted
 * run (recomputed in batch from the same events), each once with the same values. The job runs on
 * the MiniCluster: the fault is in Kafka, not in Flink's processes.
 */
class ReplicatedKafkaFaultIT {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
  static final String NAME = "replicated";
  /**
   * The broker made to lead every partition of the run's topics, and killed: the active controller,
   * so that every run measures the same, worse case (leaders and the controller quorum both move).
   */
  static int victim;
  static final Duration WAIT = Duration.ofMinutes(3);

  static KafkaCluster kafka;
  static MonitorSpec spec;
  static long t0;

  @BeforeAll
  static void startBrokers() throws Exception {
    t0 = System.nanoTime();
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty("user.dir"), "target")),
        "replicated-it-");
    spec = DriftTraffic.load(DriftTraffic.writeSpec(dir));
    kafka = KafkaCluster.start(dir.resolve("kafka"));
    log("three Kafka brokers up at " + kafka.bootstrapServers());
  }

  @AfterAll
  static void stopBrokers() {
    if (kafka != null) {
      kafka.close();
    }
  }

  static String topic(String what) {
    return NAME + "-" + what;
  }

  @Test
  void aKilledPartitionLeaderLosesNoResultAndDuplicatesNone(@InjectClusterClient RestClusterClient<?> flink) throws Exception {
    List<TrafficEvent> events = DriftTraffic.generate(spec, START, DriftDetectionFaultsIT.TRAFFIC);
    long cut = START.plus(DriftDetectionFaultsIT.CUT).toEpochMilli();
    List<TrafficEvent> first = events.stream().filter(e -> e.ts() < cut).toList();
    List<TrafficEvent> second = events.stream().filter(e -> e.ts() >= cut).toList();
    Map<String, DriftResult> expected = DriftTraffic.uninterrupted(spec, events);
    assertThat(DriftTraffic.uninterrupted(spec, first)).as("results due before the cut").isNotEmpty();

    List<String> topics = List.of(topic("predictions"), topic("labels"), topic("baselines"), topic("drift"), topic("performance"),
        topic("labelled"), topic("dead-letters"));
    victim = kafka.activeController();
    kafka.createTopicsLedBy(victim, 2, topics.toArray(String[]::new));
    DriftTraffic.produce(kafka.stringProducer(), first, topic("predictions"), topic("labels"));
    JobClient job = startJob();
    try (CommittedRecords drift = CommittedRecords.follow(kafka.bootstrapServers(), topic("drift"))) {
      Waits.until("the first committed drift result", WAIT, () -> drift.count() >= 1, () -> "logs in " + kafka.workDir());
      for (String t : List.of(topic("predictions"), topic("drift"))) {
        for (int p = 0; p < 2; p++) {
          assertThat(kafka.leaderOf(t, p)).as("leader of %s/%d before the kill", t, p).isEqualTo(victim);
        }
      }
      assertThat(kafka.activeController()).as("the active controller before the kill").isEqualTo(victim);
      int before = drift.count();
      long kill = System.nanoTime();
      kafka.kill9(victim);
      log("broker " + victim + " (leader of every partition, active controller) killed with " + before + " results committed");
      // The rest of the traffic goes to the cluster while it has no leader for the partitions: the
      // producer waits for the new one, acks=all from the two replicas left.
      CompletableFuture<Long> produced = CompletableFuture.supplyAsync(() -> {
        DriftTraffic.produce(kafka.stringProducer(), second, topic("predictions"), topic("labels"));
        return System.nanoTime();
      });
      Waits.until("new leaders of the predictions and drift topics", WAIT, () -> newLeaders(List.of(topic("predictions"),
          topic("drift"))), () -> "logs in " + kafka.workDir());
      long elected = System.nanoTime();
      log("new leaders elected after " + seconds(kill, elected) + "; active controller now " + kafka.activeController());
      long producedAt = produced.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      drift.awaitAtLeast(expected.size(), Duration.ofSeconds(3), WAIT);

      DriftTraffic.Comparison out = DriftTraffic.Comparison.of(expected, drift.values());
      long restarts = restarts(flink, job.getJobID());
      int deadLetters = TopicReader.readAll(kafka.bootstrapServers(), topic("dead-letters"), 0).size();
      long firstAfterCut = DriftTraffic.firstArrivalOfWindowFrom(drift, START.plus(Duration.ofMinutes(60)));
      ReliabilityLog.row("Kafka partition leader killed (drift job, 3 brokers)",
          "three KRaft brokers, replication factor 3, min.insync.replicas 2; kill -9 of the broker leading every partition of "
              + "the predictions and drift-results topics, also the active controller, after the first committed results, left dead; "
              + "the rest of the "
              + "traffic produced with acks=all meanwhile",
          "read_committed drift results = an uninterrupted run recomputed in batch, each once, same values",
          new FaultNumbers(events.size(), drift.count(), out.duplicates(), out.missing(), deadLetters, restarts,
              FaultNumbers.seconds(kill, drift.arrivalOf(before)),
              String.format(Locale.ROOT, "recovery_to=first_new_output, new_leaders=%.1fs, first_window_after_cut=%.1fs, "
                  + "second_part_acknowledged_after=%.1fs, committed_before_kill=%d",
                  FaultNumbers.seconds(kill, elected), FaultNumbers.seconds(kill, firstAfterCut),
                  FaultNumbers.seconds(kill, producedAt), before)).toString(),
          "ReplicatedKafkaFaultIT");

      out.assertExactly(NAME, expected);
      assertThat(deadLetters).as("dead letters").isZero();
      assertThat(kafka.inSyncReplicas(topic("drift"), 0)).as("replicas in sync after the kill").hasSize(2)
          .doesNotContain(victim);
    } finally {
      job.cancel().get(1, TimeUnit.MINUTES);
    }
  }

  /** The drift job on the MiniCluster, reading from the beginning, every output exactly-once to the cluster. */
  static JobClient startJob() throws Exception {
    KafkaConfig config = KafkaConfig.of(kafka.bootstrapServers());
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(1000);
    ModelRegistry models = new ModelRegistry(List.of(spec));
    String group = "driftline-" + NAME;
    new DriftDetectionJob(
        KafkaSources.raw(config, List.of(topic("predictions")), group, StartFrom.EARLIEST),
        KafkaSources.raw(config, List.of(topic("labels")), group, StartFrom.EARLIEST),
        KafkaSources.raw(config, List.of(topic("baselines")), group, StartFrom.EARLIEST),
        DriftTraffic.kafkaOutputs(config, NAME, models, DeliveryGuarantee.EXACTLY_ONCE),
        models, Map.of()).build(env);
    return env.executeAsync("drift detection on three brokers");
  }

  /** Whether every partition of {@code topics} has a leader again, none of them the killed broker. */
  static boolean newLeaders(List<String> topics) {
    return topics.stream().allMatch(t -> IntStream.range(0, 2).map(p -> kafka.leaderOf(t, p)).allMatch(l -> l > 0 && l != victim));
  }

  /**
   * How often the job has restarted: the JobManager's {@code numRestarts} metric through the REST
   * API, which lists it once its metrics have been fetched.
   */
  static long restarts(RestClusterClient<?> flink, JobID job) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(flink.getWebInterfaceURL() + "/jobs/" + job + "/metrics?get=numRestarts"))
        .timeout(Duration.ofSeconds(10)).GET().build();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("GET numRestarts: " + response.body()).isEqualTo(200);
      for (JsonNode metric : Json.mapper().readTree(response.body())) {
        if (metric.path("id").asText().equals("numRestarts")) {
          return metric.path("value").asLong();
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no numRestarts metric of job " + job + " within 30 s: " + response.body());
      }
      Thread.sleep(500);
    }
  }

  static String seconds(long from, long to) {
    return String.format(Locale.ROOT, "%.1f s", FaultNumbers.seconds(from, to));
  }

  static void log(String step) {
    System.out.printf("%6.1f s  %s%n", (System.nanoTime() - t0) / 1e9, step);
  }
}
