package dev.driftline.jobs.retraintrigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.ReliabilityLog;
import dev.driftline.services.TopicReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A redeploy without a savepoint, through the job's own command line on the real services: the
 * first deployment reads the first half of a scripted drift stream and emits its triggers; the
 * second half arrives; a fresh deployment with {@code --start-from committed} (the default) continues
 * at the offsets the first one committed at its checkpoints, so no trigger is emitted twice, while
 * {@code --start-from earliest} replays (and re-emits) and {@code --start-from TIME} reads from a
 * record time on.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class RetrainTriggerRedeployTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final int WINDOWS = 120;
  static final int CUT = 60;
  static ScriptedDrift script;
  static Path specFile;

  @TempDir static Path dir;

  @BeforeAll
  static void script() throws Exception {
    script = ScriptedDrift.of(WINDOWS);
    specFile = Files.writeString(dir.resolve("m.yaml"), script.specYaml());
    KafkaExtension.broker().createTopics(1, "rd-drift", "rd-performance", "rd-triggers", "rd-replay", "rd-from-time",
        "rd-alerts", "rd-dead");
  }

  /** Produces windows [from, to) of the script, each record stamped with its window's end. */
  static void produce(int from, int to) {
    try (KafkaProducer<String, String> producer = KafkaExtension.broker().stringProducer()) {
      for (DriftResult r : script.results().subList(from * ScriptedDrift.RESULTS_PER_WINDOW, to * ScriptedDrift.RESULTS_PER_WINDOW)) {
        producer.send(new ProducerRecord<>("rd-drift", 0, Instant.parse(r.windowEnd()).toEpochMilli(), r.modelId(),
            new String(Json.bytes(r))));
      }
    }
  }

  /** The job's main on the test's MiniCluster, bounded or until cancelled; returns its exit code and what it printed. */
  static String deploy(String group, String triggerTopic, String startFrom, boolean bounded) {
    KafkaBroker broker = KafkaExtension.broker();
    List<String> args = new ArrayList<>(List.of("--spec", specFile.toString(),
        "--bootstrap-servers", broker.bootstrapServers(), "--es-url", ElasticsearchExtension.url(),
        "--drift-topic", "rd-drift", "--performance-topic", "rd-performance", "--trigger-topic", triggerTopic,
        "--alert-topic", "rd-alerts", "--dead-letter-topic", "rd-dead", "--group-id", group,
        "--checkpoint-interval", "500ms", "--idle-timeout", "2s", "--start-from", startFrom));
    if (bounded) {
      args.add("--bounded");
    }
    StringWriter err = new StringWriter();
    int code;
    try {
      code = RetrainTriggerCommand.execute(args.toArray(String[]::new), new PrintWriter(err, true));
    } catch (RuntimeException e) {
      code = -1; // a cancelled unbounded job ends its execute() with an exception
    }
    return code + err.toString().strip();
  }

  /**
   * A deployment that runs until its position is committed at {@code offset} and its first {@code
   * triggers} are on the topic, then is cancelled (no savepoint), as a redeploy would.
   */
  static void deployUntil(ClusterClient<?> client, String group, String topic, long offset, int triggers) throws Exception {
    Thread job = new Thread(() -> deploy(group, topic, "committed", false), "deployment-" + group);
    job.start();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (committedOffset(group) < offset || TopicReader.readAll(KafkaExtension.broker().bootstrapServers(), topic, 0).size() < triggers) {
      assertThat(System.nanoTime()).as("deployment of " + group + " committed offset " + offset + " with " + triggers
          + " triggers on " + topic).isLessThan(deadline);
      Thread.sleep(200);
    }
    for (JobStatusMessage running : client.listJobs().get()) {
      if (!running.getJobState().isGloballyTerminalState()) {
        client.cancel(running.getJobId()).get();
      }
    }
    job.join(60_000);
    assertThat(job.isAlive()).as("the cancelled deployment ended").isFalse();
  }

  static List<String> triggerIds(String topic, int expected) throws Exception {
    List<String> ids = new ArrayList<>();
    for (var r : TopicReader.readAll(KafkaExtension.broker().bootstrapServers(), topic, expected)) {
      ids.add(Json.mapper().readTree(new String(r.value())).get("trigger_id").asText());
    }
    return ids;
  }

  /** The triggers on {@code topic} by trigger id, without created_at; each id once. */
  static Map<String, JsonNode> triggersById(String topic, int expected) throws Exception {
    Map<String, JsonNode> out = new TreeMap<>();
    for (var r : TopicReader.readAll(KafkaExtension.broker().bootstrapServers(), topic, expected)) {
      ObjectNode trigger = (ObjectNode) Json.mapper().readTree(new String(r.value()));
      trigger.remove("created_at");
      assertThat(out.put(trigger.get("trigger_id").asText(), trigger)).as("each trigger once: " + trigger).isNull();
    }
    return out;
  }

  static long committedOffset(String group) throws Exception {
    try (var admin = KafkaExtension.broker().admin()) {
      var offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      var committed = offsets.get(new TopicPartition("rd-drift", 0));
      return committed == null ? -1 : committed.offset();
    }
  }

  @Test
  void aRedeployFromCommittedOffsetsEmitsNoTriggerTwice(@InjectClusterClient ClusterClient<?> client) throws Exception {
    List<String> first = script.triggers(0, CUT);
    List<String> second = script.triggers(CUT, WINDOWS);
    assertThat(first).as("the script has triggers in its first half").isNotEmpty();
    assertThat(second).as("the script has triggers in its second half").isNotEmpty();

    produce(0, CUT);
    deployUntil(client, "rd", "rd-triggers", (long) CUT * ScriptedDrift.RESULTS_PER_WINDOW, first.size());
    produce(CUT, WINDOWS);
    deployUntil(client, "rd", "rd-triggers", (long) WINDOWS * ScriptedDrift.RESULTS_PER_WINDOW, first.size() + second.size());
    assertThat(triggerIds("rd-triggers", first.size() + second.size()))
        .as("the first deployment's triggers, then the second's on the second half only: none twice")
        .isEqualTo(concat(first, second)).doesNotHaveDuplicates();

    // The same redeploy from the beginning replays the first half and emits its triggers again.
    assertThat(deploy("rd", "rd-replay", "earliest", true)).isEqualTo("0");
    assertThat(triggerIds("rd-replay", script.triggers().size())).isEqualTo(script.triggers()).containsAll(first);
    // That replay is an uninterrupted run of the same input: the two deployments' triggers equal its
    // triggers by id and value, only created_at (when the decision was made) aside.
    Map<String, JsonNode> redeployed = triggersById("rd-triggers", first.size() + second.size());
    Map<String, JsonNode> uninterrupted = triggersById("rd-replay", script.triggers().size());
    assertThat(redeployed.keySet()).as("trigger ids of the redeploy and of the uninterrupted run")
        .isEqualTo(uninterrupted.keySet());
    uninterrupted.forEach((id, trigger) -> assertThat(redeployed.get(id)).as("trigger " + id).isEqualTo(trigger));

    // From a time: only records stamped at or after it (window ends of the second half), whatever is committed.
    String cut = ScriptedDrift.T0.plusSeconds(3600L * (CUT + 1)).toString();
    assertThat(deploy("rd-time", "rd-from-time", cut, true)).isEqualTo("0");
    assertThat(triggerIds("rd-from-time", second.size())).isEqualTo(second);

    ReliabilityLog.row("Redeploy without a savepoint (trigger job)",
        "two deployments, each cancelled after its checkpoint, the second with `--start-from committed`",
        "every trigger once on a read_committed consumer and equal to an uninterrupted run's by id and value; "
            + "`earliest` replays; a time reads from it on",
        String.format("drift results in %d (%d + %d); triggers %d + %d, duplicates 0, differing from the uninterrupted "
            + "run 0; a replay from earliest re-emits %d",
            WINDOWS * ScriptedDrift.RESULTS_PER_WINDOW, CUT * ScriptedDrift.RESULTS_PER_WINDOW,
            (WINDOWS - CUT) * ScriptedDrift.RESULTS_PER_WINDOW, first.size(), second.size(), first.size()),
        "RetrainTriggerRedeployTest");
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Test
  void aBadStartIsOneLine() {
    assertThat(deploy("rd-bad", "rd-triggers", "yesterday", true))
        .isEqualTo("2retrain-trigger: --start-from: expected committed, earliest, latest or a time "
            + "(2026-05-04T00:00:00Z or epoch millis), got \"yesterday\"");
  }
}
