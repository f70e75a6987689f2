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
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.elasticsearch.ElasticsearchSink;
import dev.driftline.services.CommittedRecords;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.ElasticsearchNode;
import dev.driftline.services.FaultNumbers;
import dev.driftline.services.FlinkStandaloneCluster;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.ProcessTrees;
import dev.driftline.services.ReliabilityLog;
import dev.driftline.services.TopicReader;
import dev.driftline.services.Waits;
import dev.driftline.services.ZooKeeperNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shaded drift job on a real standalone Flink cluster, real Kafka and real Elasticsearch, with
 * one fault in the middle of each run: the TaskManager JVM killed with SIGKILL, Elasticsearch stopped
 * until the sink's backoff (100 ms doubling) has reached its 10 s cap, as the TaskManager's log shows,
 * and then started again, the Kafka broker
 * restarted, the JobManager JVM killed with SIGKILL and a new one started. The cluster runs with
 * ZooKeeper high availability (a real ZooKeeper server, HA storage on local disk), as a production
 * cluster that survives its JobManager does. Each run has its own topics, consumer group and month
 * of traffic (so its own index: months of 2025, which no other test of the module writes to the
 * node they share), and the four share the cluster. After each, a read_committed
 * consumer must have seen exactly the drift results of an uninterrupted run (recomputed in batch
 * from the same events), each once with the same values, and Elasticsearch must hold each of them
 * once. Each run leaves a {@link ReliabilityLog} row with its numbers.
 *
 * <p>The Kafka restart is tested on this job only: its Kafka sources and exactly-once Kafka sinks
 * are the same classes ({@code KafkaSources}, {@code KafkaSinks}) the other two jobs use.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftDetectionFaultsIT {
  static final Duration TRAFFIC = Duration.ofHours(2);
  /** Not on a window boundary: the window [60m, 70m) is open when the fault strikes. */
  static final Duration CUT = Duration.ofMinutes(65);
  static final Duration WAIT = Duration.ofMinutes(3);
  /** What the sink logs when it schedules a retry at its backoff cap: the node has been away long enough. */
  static final String CAPPED_RETRY = "operations in " + ElasticsearchSink.DEFAULT_MAX_BACKOFF.toMillis() + " ms (retry ";
  /** Each commit waits for a checkpoint: a short interval makes every wait on committed results short. */
  static final String CHECKPOINT_INTERVAL = "1s";

  static Path dir;
  static Path jar;
  static Path specFile;
  static MonitorSpec spec;
  static ZooKeeperNode zooKeeper;
  static FlinkStandaloneCluster cluster;
  static ElasticsearchClient es;
  static long t0;

  @BeforeAll
  static void startCluster() throws Exception {
    jar = Path.of(System.getProperty("driftline.job.jar", "(driftline.job.jar not set: run with mvn verify)"));
    assertThat(jar).as("the shaded job jar, built by package").isRegularFile();
    dir = Files.createTempDirectory(Path.of(System.getProperty("user.dir"), "target"), "faults-it-");
    specFile = DriftTraffic.writeSpec(dir);
    spec = DriftTraffic.load(specFile);
    es = ElasticsearchConfig.of(ElasticsearchExtension.url()).newClient();
    t0 = System.nanoTime();
    zooKeeper = ZooKeeperNode.start(dir.resolve("zookeeper"));
    cluster = FlinkStandaloneCluster.start(dir.resolve("flink"), FlinkStandaloneCluster.SLOTS, FlinkStandaloneCluster.SLOTS,
        FlinkStandaloneCluster.HighAvailability.zooKeeper(zooKeeper.connectString(), "/driftline-faults"));
    log("cluster up, high availability through ZooKeeper at " + zooKeeper.connectString());
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (zooKeeper != null) {
      zooKeeper.close();
    }
    if (es != null) {
      es.close();
    }
  }

  @Test
  @Order(1)
  void aKilledTaskManagerLosesNoResultAndDuplicatesNone() throws Exception {
    try (Run run = new Run("tm-kill", Instant.parse("2025-07-07T00:00:00Z"))) {
      run.submitWithFirstPart();
      run.awaitCommitted(1);
      long kill = System.nanoTime();
      cluster.killTaskManager();
      log("TaskManager killed with " + run.drift.count() + " results committed");
      cluster.startTaskManager();
      // What the killed TaskManager committed has been read by now; the job commits again only
      // after its restart on the new TaskManager and a checkpoint there.
      int before = run.drift.count();
      log("new TaskManager registered; " + before + " results committed before the kill");
      run.produceSecondPart();
      await("the job to restart", () -> cluster.restarts(run.job) >= 1);
      cluster.awaitRunning(run.job, WAIT);
      long running = System.nanoTime();
      log("job running again after " + cluster.restarts(run.job) + " restart(s)");
      run.awaitAll();

      Outcome out = run.outcome();
      long restarts = cluster.restarts(run.job);
      List<String> failures = cluster.exceptionHistory(run.job);
      ReliabilityLog.row("TaskManager killed (drift job)",
          "kill -9 of the TaskManager JVM of the standalone cluster after the first committed results, a new "
              + "TaskManager started, the rest of the traffic",
          "read_committed drift results = an uninterrupted run recomputed in batch, each once, same values; the "
              + "index holds each once; the job restarted",
          new FaultNumbers(run.events.size(), out.results, out.duplicates,
              out.missing, out.deadLetters, restarts, FaultNumbers.seconds(kill, running),
              String.format(java.util.Locale.ROOT, "first_new_output=%.1fs, committed_before_kill=%d, es_docs=%d, es_rewritten=%d",
                  FaultNumbers.seconds(kill, run.drift.arrivalOf(before)), before, out.esDocs, out.esRewritten)).toString(),
          "DriftDetectionFaultsIT");

      assertThat(restarts).as("the job failed over").isGreaterThanOrEqualTo(1);
      assertThat(failures).as("the JobManager's exception history").isNotEmpty()
          .anySatisfy(f -> assertThat(f).contains("TaskManager"));
      run.assertExactlyTheUninterruptedResults(out);
      cluster.cancel(run.job, WAIT);
    }
  }

  @Test
  @Order(2)
  void elasticsearchAwayPastTheBackoffCapHoldsTheSinkBackWithoutRestartsOrDeadLetters() throws Exception {
    ElasticsearchNode node = ElasticsearchExtension.node();
    try (Run run = new Run("es-outage", Instant.parse("2025-08-04T00:00:00Z"))) {
      run.submitWithFirstPart();
      await("the first results in Elasticsearch", () -> run.docs() > 0);
      long docsBefore = run.docs();
      long cappedBefore = cappedRetries();
      node.stopKeepingData();
      long away = System.nanoTime();
      log("Elasticsearch stopped with " + docsBefore + " results indexed");
      // Traffic goes on during the outage; the job must keep running (no failover) all along, until
      // the sink retries at its backoff cap (12.7 s after its first failed bulk at the earliest).
      run.produceSecondPart();
      long restartsDuringOutage = 0;
      while (cappedRetries() == cappedBefore) {
        restartsDuringOutage = Math.max(restartsDuringOutage, cluster.restarts(run.job));
        if (System.nanoTime() - away > WAIT.toNanos()) {
          throw new AssertionError("not within " + WAIT.toSeconds() + " s: a retry at the sink's backoff cap (\""
              + CAPPED_RETRY + "\") in " + cluster.workDir() + "/taskmanager*.log");
        }
        ProcessTrees.pause(500);
      }
      long capped = System.nanoTime();
      log("the sink retries at its backoff cap after " + Math.round(FaultNumbers.seconds(away, capped)) + " s");
      int committedDuringOutage = run.drift.count();
      node.restart();
      long back = System.nanoTime();
      log("Elasticsearch back after " + Math.round(FaultNumbers.seconds(away, back)) + " s");
      await("new results in Elasticsearch", () -> run.docs() > docsBefore);
      long firstNew = System.nanoTime();
      run.awaitAll();

      Outcome out = run.outcome();
      long restarts = cluster.restarts(run.job);
      ReliabilityLog.row("Elasticsearch away (drift job)",
          "the node stopped after the first results were indexed, traffic going on, restarted on the same data and "
              + "port once the sink retried at its 10 s backoff cap (away until it is ready again: node_down)",
          "no restart, no dead letter; read_committed drift results and the index = an uninterrupted run, each once",
          new FaultNumbers(run.events.size(), out.results, out.duplicates,
              out.missing, out.deadLetters, restarts, FaultNumbers.seconds(back, firstNew),
              String.format(java.util.Locale.ROOT, "recovery_from=node_ready, node_down=%.1fs, capped_retry_after=%.1fs, "
                  + "es_docs_before=%d, committed_on_topic_before_restart=%d, es_docs=%d, es_rewritten=%d",
                  FaultNumbers.seconds(away, back), FaultNumbers.seconds(away, capped), docsBefore, committedDuringOutage, out.esDocs, out.esRewritten)).toString(),
          "DriftDetectionFaultsIT");

      assertThat(restartsDuringOutage).as("restarts while Elasticsearch was away").isZero();
      assertThat(restarts).as("the sink retried; the job never failed").isZero();
      assertThat(cluster.exceptionHistory(run.job)).isEmpty();
      assertThat(out.deadLetters).as("an unreachable node is no reason for a dead letter").isZero();
      run.assertExactlyTheUninterruptedResults(out);
      cluster.cancel(run.job, WAIT);
    }
  }

  @Test
  @Order(3)
  void aRestartedKafkaBrokerLosesNoResultAndDuplicatesNone() throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    try (Run run = new Run("kafka-restart", Instant.parse("2025-09-01T00:00:00Z"))) {
      run.submitWithFirstPart();
      run.awaitCommitted(1);
      int before = run.drift.count();
      long fault = System.nanoTime();
      broker.restart();
      long back = System.nanoTime();
      log("Kafka broker restarted in " + Math.round(FaultNumbers.seconds(fault, back)) + " s with " + before
          + " results committed");
      run.produceSecondPart();
      long produced = System.nanoTime();
      run.awaitAll();

      Outcome out = run.outcome();
      long restarts = cluster.restarts(run.job);
      // Whether a commit read just after the restart was made before it cannot be told from its
      // arrival; a result of a window the second part closes can only have been made after it.
      long firstAfterCut = run.firstArrivalOfWindowFrom(run.start.plus(Duration.ofMinutes(60)));
      ReliabilityLog.row("Kafka broker restarted (drift job)",
          "the broker stopped (SIGTERM) after the first committed results and started on the same log directory "
              + "and port",
          "read_committed drift results and the index = an uninterrupted run, each once",
          new FaultNumbers(run.events.size(), out.results, out.duplicates,
              out.missing, out.deadLetters, restarts, FaultNumbers.seconds(fault, firstAfterCut),
              String.format(java.util.Locale.ROOT, "recovery_to=first_result_of_a_window_after_the_cut, broker_down=%.1fs, "
                  + "second_part_produced_after=%.1fs, committed_before=%d, es_docs=%d, es_rewritten=%d",
                  FaultNumbers.seconds(fault, back), FaultNumbers.seconds(fault, produced), before, out.esDocs,
                  out.esRewritten)).toString(),
          "DriftDetectionFaultsIT");

      assertThat(cluster.jobStatus(run.job)).isEqualTo("RUNNING");
      run.assertExactlyTheUninterruptedResults(out);
      cluster.cancel(run.job, WAIT);
    }
  }

  @Test
  @Order(4)
  void aKilledJobManagerIsReplacedAndTheJobResumesFromItsLatestCheckpoint() throws Exception {
    try (Run run = new Run("jm-kill", Instant.parse("2025-10-06T00:00:00Z"))) {
      run.submitWithFirstPart();
      run.awaitCommitted(1);
      long checkpointBefore = cluster.latestCheckpointId(run.job);
      long kill = System.nanoTime();
      cluster.killJobManager();
      log("JobManager killed with " + run.drift.count() + " results committed, checkpoint " + checkpointBefore
          + " completed");
      cluster.startJobManager();
      long leading = System.nanoTime();
      // Nothing commits between the kill and the new JobManager's first checkpoint: what the old one
      // committed has been read by now.
      int before = run.drift.count();
      log("new JobManager leading after " + Math.round(FaultNumbers.seconds(kill, leading)) + " s; " + before
          + " results committed before the kill");
      run.produceSecondPart();
      cluster.awaitRunning(run.job, WAIT);
      long running = System.nanoTime();
      String restored = cluster.restoredFrom(run.job);
      long restoredId = restored == null ? -1 : FlinkStandaloneCluster.checkpointId(restored);
      log("job " + run.job + " running again, restored from " + restored);
      run.awaitAll();

      Outcome out = run.outcome();
      long restarts = cluster.restarts(run.job);
      ReliabilityLog.row("JobManager killed (drift job, ZooKeeper HA)",
          "kill -9 of the JobManager JVM of the standalone cluster (ZooKeeper high availability, HA storage on local "
              + "disk) after the first committed results, a new JobManager started on the same configuration, the rest "
              + "of the traffic",
          "the new JobManager resumes the same job from its latest checkpoint; read_committed drift results and the "
              + "index = an uninterrupted run, each once, same values",
          new FaultNumbers(run.events.size(), out.results, out.duplicates,
              out.missing, out.deadLetters, restarts, FaultNumbers.seconds(kill, run.drift.arrivalOf(before)),
              String.format(java.util.Locale.ROOT, "recovery_to=first_new_output, new_leader=%.1fs, job_running=%.1fs, "
                  + "checkpoint_before_kill=%d, restored=%d, committed_before_kill=%d, es_docs=%d, es_rewritten=%d",
                  FaultNumbers.seconds(kill, leading), FaultNumbers.seconds(kill, running), checkpointBefore,
                  restoredId, before, out.esDocs, out.esRewritten)).toString(),
          "DriftDetectionFaultsIT");

      assertThat(checkpointBefore).as("a checkpoint completed before the kill").isPositive();
      assertThat(restoredId).as("the checkpoint the new JobManager restored (" + restored + ")")
          .isGreaterThanOrEqualTo(checkpointBefore);
      run.assertExactlyTheUninterruptedResults(out);
      cluster.cancel(run.job, WAIT);
    }
  }

  /** What a run left behind, counted against the uninterrupted expectation. */
  record Outcome(int results, int duplicates, int missing, int unexpected, int deadLetters, long esDocs, long esRewritten,
      DriftTraffic.Comparison topic, Map<String, JsonNode> esValues) {}

  /**
   * One job on its own topics ({@code <name>-predictions}, ...), consumer group and transactional
   * ids ({@code driftline-<name>}), over two hours of traffic from {@code start}, produced in two
   * parts cut at 65 minutes.
   */
  static final class Run implements AutoCloseable {
    final String name;
    final Instant start;
    final List<TrafficEvent> events;
    final List<TrafficEvent> first;
    final List<TrafficEvent> second;
    final Map<String, DriftResult> expected;
    final String index;
    final KafkaBroker broker = KafkaExtension.broker();
    CommittedRecords drift;
    String job;

    Run(String name, Instant start) {
      this.name = name;
      this.start = start;
      this.events = DriftTraffic.generate(spec, start, TRAFFIC);
      long cut = start.plus(CUT).toEpochMilli();
      this.first = events.stream().filter(e -> e.ts() < cut).toList();
      this.second = events.stream().filter(e -> e.ts() >= cut).toList();
      this.expected = DriftTraffic.uninterrupted(spec, events);
      this.index = DriftTraffic.index(start);
      assertThat(DriftTraffic.uninterrupted(spec, first)).as("results due before the cut").isNotEmpty();
    }

    String topic(String what) {
      return name + "-" + what;
    }

    void submitWithFirstPart() {
      broker.createTopics(2, topic("predictions"), topic("labels"), topic("drift-results"), topic("performance"),
          topic("labelled"), topic("dead-letters"));
      broker.createCompactedTopic(topic("baselines"), 2);
      drift = CommittedRecords.follow(broker.bootstrapServers(), topic("drift-results"));
      DriftTraffic.produce(broker, first, topic("predictions"), topic("labels"));
      job = cluster.submit(jar, "--spec", specFile.toString(), "--bootstrap-servers", broker.bootstrapServers(),
          "--es-url", ElasticsearchExtension.url(), "--checkpoint-interval", CHECKPOINT_INTERVAL, "--delivery", "exactly-once",
          "--predictions-topic", topic("predictions"), "--labels-topic", topic("labels"),
          "--drift-topic", topic("drift-results"), "--performance-topic", topic("performance"),
          "--labelled-topic", topic("labelled"), "--baselines-topic", topic("baselines"),
          "--dead-letter-topic", topic("dead-letters"), "--group-id", "driftline-" + name);
      cluster.awaitRunning(job, WAIT);
      log(name + ": job " + job + " running on " + first.size() + " of " + events.size() + " events; expecting "
          + expected.size() + " drift results");
    }

    void produceSecondPart() {
      DriftTraffic.produce(broker, second, topic("predictions"), topic("labels"));
      log(name + ": the other " + second.size() + " events produced");
    }

    void awaitCommitted(int n) {
      await(name + ": " + n + " committed drift results", () -> drift.count() >= n);
    }

    /** Every expected result committed on the topic (and a quiet spell for duplicates), and indexed. */
    void awaitAll() {
      drift.awaitAtLeast(expected.size(), Duration.ofSeconds(3), WAIT);
      await(name + ": " + expected.size() + " drift documents in " + index, () -> docs() >= expected.size());
      log(name + ": all results committed and indexed");
    }

    /** When the first committed result of a window starting at or after {@code from} was read. */
    long firstArrivalOfWindowFrom(Instant from) {
      return DriftTraffic.firstArrivalOfWindowFrom(drift, from);
    }

    /** Documents searchable in this run's index now; -1 while Elasticsearch cannot count them. */
    long docs() {
      try {
        es.indices().refresh(r -> r.index(index));
        return es.count(c -> c.index(index)).count();
      } catch (Exception e) {
        return -1;
      }
    }

    Outcome outcome() throws IOException {
      DriftTraffic.Comparison topic = DriftTraffic.Comparison.of(expected, drift.values());
      int deadLetters = TopicReader.readAll(broker.bootstrapServers(), topic("dead-letters"), 0).size();

      es.indices().refresh(r -> r.index(index));
      var hits = es.search(s -> s.index(index).size(10_000).version(true), ObjectNode.class).hits().hits();
      Map<String, JsonNode> esValues = new HashMap<>();
      long rewritten = 0;
      for (Hit<ObjectNode> hit : hits) {
        esValues.put(hit.id(), DriftTraffic.withoutComputedAt(hit.source()));
        rewritten += hit.version() != null && hit.version() > 1 ? 1 : 0;
      }
      return new Outcome(drift.count(), topic.duplicates(), topic.missing(), topic.unexpected(), deadLetters, hits.size(),
          rewritten, topic, esValues);
    }

    void assertExactlyTheUninterruptedResults(Outcome out) {
      out.topic.assertExactly(name, expected);
      assertThat(out.esValues.keySet()).as(name + ": documents in " + index).containsExactlyInAnyOrderElementsOf(expected.keySet());
      expected.forEach((id, r) -> assertThat(out.esValues.get(id)).as(name + " index: " + id)
          .isEqualTo(DriftTraffic.withoutComputedAt(DriftTraffic.asJson(r))));
    }

    /** Stops the consumer and, when a check failed before the test cancelled it, the job: the next run needs its slots. */
    @Override
    public void close() {
      if (drift != null) {
        drift.close();
      }
      if (job != null && !List.of("CANCELED", "FAILED", "FINISHED").contains(cluster.jobStatus(job))) {
        cluster.cancel(job, WAIT);
      }
    }
  }

  /** Lines of the TaskManagers' logs (every one started so far) saying the sink retries at its backoff cap. */
  static long cappedRetries() {
    try (Stream<Path> files = Files.list(cluster.workDir())) {
      long n = 0;
      for (Path log : files.filter(f -> f.getFileName().toString().matches("taskmanager(-\\d+)?\\.log")).toList()) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
          n += lines.filter(l -> l.contains(CAPPED_RETRY)).count();
        }
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void await(String what, BooleanSupplier condition) {
    Waits.until(what, WAIT, condition, () -> "logs in " + cluster.workDir());
  }

  static void log(String step) {
    System.out.printf("%6.1f s  %s%n", (System.nanoTime() - t0) / 1e9, step);
  }
}
