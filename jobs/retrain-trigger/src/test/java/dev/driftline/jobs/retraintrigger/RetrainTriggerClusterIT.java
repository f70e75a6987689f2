package dev.driftline.jobs.retraintrigger;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.PolicyEngine;
import dev.driftline.core.trigger.RetrainTrigger;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shaded trigger job on a real standalone Flink cluster (real Kafka, real Elasticsearch), its
 * TaskManager JVM killed with SIGKILL halfway through a scripted stream of drift results and
 * replaced by a new one. Read_committed consumers must then see exactly the triggers and alerts
 * the policy decides in one uninterrupted pass over the script, each once with the same content
 * (up to created_at), and the alerts index must hold each alert once.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class RetrainTriggerClusterIT {
  static final int WINDOWS = 120;
  static final Duration WAIT = Duration.ofMinutes(3);

  static FlinkStandaloneCluster cluster;

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aKilledTaskManagerLosesNoTriggerOrAlertAndDuplicatesNone() throws Exception {
    Path jar = Path.of(System.getProperty("driftline.job.jar", "(driftline.job.jar not set: run with mvn verify)"));
    assertThat(jar).as("the shaded job jar, built by package").isRegularFile();
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("user.dir"), "target"), "cluster-it-");
    Path specFile = dir.resolve("m.yaml");
    // One window more than is decided: its results move the event time past the last decided window.
    ScriptedDrift script = ScriptedDrift.of(WINDOWS + 1);
    Files.writeString(specFile, script.specYaml());
    List<PolicyEngine.Decision> decisions = script.decisions(0, WINDOWS);
    List<RetrainTrigger> expectedTriggerList = decisions.stream().map(PolicyEngine.Decision::trigger).filter(t -> t != null).toList();
    List<Alert> expectedAlertList = decisions.stream().flatMap(d -> d.alerts().stream()).toList();
    int half = WINDOWS / 2 * ScriptedDrift.RESULTS_PER_WINDOW;
    List<DriftResult> first = script.results().subList(0, half);
    List<DriftResult> second = script.results().subList(half, script.results().size());
    assertThat(expectedTriggerList).as("triggers in each half of the script").hasSizeGreaterThanOrEqualTo(4)
        .anyMatch(t -> t.trainingTo().compareTo(first.get(half - 1).windowEnd()) <= 0)
        .anyMatch(t -> t.trainingTo().compareTo(first.get(half - 1).windowEnd()) > 0);

    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(1, "rtc-drift", "rtc-performance");
    broker.createTopics(2, "rtc-triggers", "rtc-alerts", "rtc-dead-letters");
    // The module's tests share one node, and a scripted run elsewhere writes the same alert ids:
    // start from no alerts index, so that it holds this run's alerts only.
    try (ElasticsearchClient es = ElasticsearchConfig.of(ElasticsearchExtension.url()).newClient()) {
      es.indices().delete(d -> d.index(TriggerOutputs.ALERT_INDEX).ignoreUnavailable(true));
    }
    long t0 = System.nanoTime();
    cluster = FlinkStandaloneCluster.start(dir.resolve("flink"));
    log("cluster up; " + script.results().size() + " drift results of " + (WINDOWS + 1) + " windows; expecting "
        + expectedTriggerList.size() + " triggers and " + expectedAlertList.size() + " alerts", t0);
    produce(broker, first);
    String job = cluster.submit(jar, "--spec", specFile.toString(), "--bootstrap-servers", broker.bootstrapServers(),
        "--es-url", ElasticsearchExtension.url(), "--checkpoint-interval", "1s",
        "--drift-topic", "rtc-drift", "--performance-topic", "rtc-performance", "--trigger-topic", "rtc-triggers",
        "--alert-topic", "rtc-alerts", "--dead-letter-topic", "rtc-dead-letters", "--group-id", "driftline-rtc",
        "--idle-timeout", "2s");
    cluster.awaitRunning(job, WAIT);
    log("job " + job + " running", t0);

    try (CommittedRecords triggers = CommittedRecords.follow(broker.bootstrapServers(), "rtc-triggers");
         CommittedRecords alerts = CommittedRecords.follow(broker.bootstrapServers(), "rtc-alerts");
         ElasticsearchClient es = ElasticsearchConfig.of(ElasticsearchExtension.url()).newClient()) {
      Waits.until("the first committed trigger", WAIT, () -> triggers.count() > 0, () -> "logs in " + cluster.workDir());
      long kill = System.nanoTime();
      cluster.killTaskManager();
      log("TaskManager killed with " + triggers.count() + " triggers and " + alerts.count() + " alerts committed", t0);
      cluster.startTaskManager();
      // What the killed TaskManager committed has been read by now; the job commits again only
      // after its restart on the new TaskManager and a checkpoint there.
      int before = triggers.count() + alerts.count();
      long settled = System.nanoTime();
      log("new TaskManager registered; " + before + " triggers and alerts committed before the kill", t0);
      produce(broker, second);
      Waits.until("the job to restart", WAIT, () -> cluster.restarts(job) >= 1, () -> "logs in " + cluster.workDir());
      cluster.awaitRunning(job, WAIT);
      long running = System.nanoTime();
      log("job running again", t0);
      CommittedRecords.awaitAtLeast(Duration.ofSeconds(3), WAIT,
          new CommittedRecords.Expected(triggers, expectedTriggerList.size()),
          new CommittedRecords.Expected(alerts, expectedAlertList.size()));
      log("all triggers and alerts committed", t0);
      long firstNew = firstArrivalAfter(triggers, alerts, settled);

      Map<String, JsonNode> expectedTriggers = new HashMap<>();
      expectedTriggerList.forEach(t -> expectedTriggers.put(t.triggerId(), withoutCreatedAt(json(t))));
      Map<String, JsonNode> expectedAlerts = new HashMap<>();
      expectedAlertList.forEach(a -> expectedAlerts.put(a.alertId(), withoutCreatedAt(json(a))));
      Map<String, Integer> triggerCopies = new TreeMap<>();
      Map<String, JsonNode> triggerValues = read(triggers, "trigger_id", triggerCopies);
      Map<String, Integer> alertCopies = new TreeMap<>();
      Map<String, JsonNode> alertValues = read(alerts, "alert_id", alertCopies);
      Map<String, JsonNode> docs = alertDocs(es, expectedAlertList.size());
      int deadLetters = TopicReader.readAll(broker.bootstrapServers(), "rtc-dead-letters", 0).size();
      long restarts = cluster.restarts(job);
      ReliabilityLog.row("TaskManager killed (retrain trigger)",
          "kill -9 of the TaskManager JVM after the first committed trigger, a new TaskManager started, the "
              + "second half of the scripted drift results",
          "read_committed triggers and alerts = the policy over the whole script in one pass, each once, same "
              + "content; the alerts index holds each once; the job restarted",
          new FaultNumbers(script.results().size(),
              triggers.count() + alerts.count(), duplicates(triggerCopies) + duplicates(alertCopies),
              missing(expectedTriggers, triggerCopies) + missing(expectedAlerts, alertCopies), deadLetters, restarts,
              FaultNumbers.seconds(kill, running), String.format(Locale.ROOT,
                  "first_new_output=%.1fs, triggers=%d, alerts=%d, committed_before_kill=%d, es_alert_docs=%d",
                  FaultNumbers.seconds(kill, firstNew), triggers.count(), alerts.count(), before, docs.size())).toString(),
          "RetrainTriggerClusterIT");

      assertThat(restarts).as("the job failed over").isGreaterThanOrEqualTo(1);
      assertThat(cluster.exceptionHistory(job)).as("the JobManager's exception history").isNotEmpty()
          .anySatisfy(f -> assertThat(f).contains("TaskManager"));
      assertThat(triggerCopies).allSatisfy((id, n) -> assertThat(n).as("copies of trigger " + id).isEqualTo(1));
      assertThat(triggerValues).isEqualTo(expectedTriggers);
      assertThat(alertCopies).allSatisfy((id, n) -> assertThat(n).as("copies of alert " + id).isEqualTo(1));
      assertThat(alertValues).isEqualTo(expectedAlerts);
      assertThat(docs).isEqualTo(expectedAlerts);
      assertThat(deadLetters).isZero();
    }
  }

  static void produce(KafkaBroker broker, List<DriftResult> results) {
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      for (DriftResult r : results) {
        producer.send(new ProducerRecord<>("rtc-drift", r.modelId(), new String(Json.bytes(r))));
      }
    }
  }

  /** Values by id field (without created_at), counting copies of each id. */
  static Map<String, JsonNode> read(CommittedRecords records, String idField, Map<String, Integer> copies) throws IOException {
    Map<String, JsonNode> out = new HashMap<>();
    for (byte[] value : records.values()) {
      JsonNode n = Json.mapper().readTree(value);
      copies.merge(n.get(idField).asText(), 1, Integer::sum);
      out.put(n.get(idField).asText(), withoutCreatedAt(n));
    }
    return out;
  }

  /** The alerts index by id, once it holds {@code n} documents, each at most once. */
  static Map<String, JsonNode> alertDocs(ElasticsearchClient es, int n) throws IOException {
    Waits.until(n + " documents in " + TriggerOutputs.ALERT_INDEX, WAIT, () -> {
      try {
        es.indices().refresh(r -> r.index(TriggerOutputs.ALERT_INDEX));
        return es.count(c -> c.index(TriggerOutputs.ALERT_INDEX)).count() >= n;
      } catch (Exception e) {
        return false;
      }
    }, () -> "logs in " + cluster.workDir());
    Map<String, JsonNode> out = new HashMap<>();
    for (Hit<ObjectNode> hit : es.search(s -> s.index(TriggerOutputs.ALERT_INDEX).size(10_000), ObjectNode.class).hits().hits()) {
      assertThat(out.put(hit.id(), withoutCreatedAt(hit.source()))).as("document " + hit.id()).isNull();
    }
    return out;
  }

  static long firstArrivalAfter(CommittedRecords triggers, CommittedRecords alerts, long nanos) {
    return java.util.stream.Stream.concat(triggers.arrivals().stream(), alerts.arrivals().stream())
        .mapToLong(CommittedRecords.Arrival::nanoTime).filter(t -> t > nanos).min().orElse(-1);
  }

  static int duplicates(Map<String, Integer> copies) {
    return copies.values().stream().mapToInt(n -> n - 1).sum();
  }

  static int missing(Map<String, JsonNode> expected, Map<String, Integer> copies) {
    return (int) expected.keySet().stream().filter(id -> !copies.containsKey(id)).count();
  }

  static JsonNode json(Object triggerOrAlert) {
    try {
      return Json.mapper().readTree(Json.bytes(triggerOrAlert));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Without the wall-clock time of the decision, which differs between any two runs. */
  static JsonNode withoutCreatedAt(JsonNode n) {
    ObjectNode copy = ((ObjectNode) n).deepCopy();
    copy.remove("created_at");
    return copy;
  }

  static void log(String step, long t0) {
    System.out.printf("%6.1f s  %s%n", (System.nanoTime() - t0) / 1e9, step);
  }
}
