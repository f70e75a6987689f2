package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.profile.ReferenceProfile;
import dev.driftline.core.profile.ReferenceProfiles;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.testing.ElasticsearchExtension;
import dev.driftline.testing.FlinkTestCluster;
import dev.driftline.testing.KafkaExtension;
import dev.driftline.testing.ReliabilityLog;
import dev.driftline.testing.TopicReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A redeploy of the drift job without a savepoint, through its own command line: the spec's
 * reference is a profile file, and a trainer's newer baseline was published on the (compacted) baselines topic and read by the first deployment; the
 * second, fresh deployment continues the predictions at the committed offsets and still measures
 * drift against that baseline, because a fresh job reads the baselines topic from its beginning.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class DriftDetectionRedeployTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final Instant START = Instant.parse("2026-07-06T00:00:00Z");
  static final Duration PART = Duration.ofMinutes(40);

  @TempDir Path dir;

  @Test
  void aFreshDeploymentKeepsThePublishedBaselineAndWritesNoWindowTwice(@InjectClusterClient ClusterClient<?> client)
      throws Exception {
    // The spec's reference is the profile built at start; a trainer later publishes a newer one.
    Path specFile = dir.resolve("monitor.yaml");
    Path initialFile = dir.resolve("initial.json");
    String yaml = Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
        .replaceAll("(?s)fields:.*?classification_threshold", "fields: {entity: entity_id}\nclassification_threshold")
        .replace("path: examples/credit-default/profile.json", "path: " + initialFile)
        .replaceAll("(?s)window:.*?tests:", "window: {size: 10m, max_out_of_orderness: 30s, idle_timeout: 2s}\n\ntests:");
    Files.writeString(specFile, yaml);
    MonitorSpec spec = MonitorSpecParser.load(specFile);
    ReferenceProfiles.write(TrainingProfiles.build(spec, START.minus(Duration.ofDays(2)), Duration.ofHours(1), 2,
        START.minus(Duration.ofDays(1)), dir), initialFile);
    ReferenceProfile published = TrainingProfiles.build(spec, START.minus(Duration.ofDays(1)), Duration.ofHours(1), 3,
        START.minus(Duration.ofHours(1)), dir);
    Path profileFile = dir.resolve("published.json");
    ReferenceProfiles.write(published, profileFile);

    var broker = KafkaExtension.broker();
    broker.createTopics(1, "rd-predictions", "rd-labels", "rd-drift", "rd-performance", "rd-labelled", "rd-dead");
    broker.createCompactedTopic("rd-baselines", 1);
    List<TrafficEvent> predictions = new ArrayList<>();
    TrafficGenerator.stream(TrafficConfig.of(spec, START, PART.multipliedBy(2), 1, 5))
        .filter(e -> e.type() == TrafficEvent.Type.PREDICTION).forEach(predictions::add);
    long cut = START.plus(PART).toEpochMilli();
    List<TrafficEvent> first = predictions.stream().filter(e -> e.ts() < cut).toList();
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      producer.send(new ProducerRecord<>("rd-baselines", spec.modelId(), Files.readString(profileFile)));
      first.forEach(e -> producer.send(new ProducerRecord<>("rd-predictions", e.key(), e.json())));
    }
    String[] args = {"--spec", specFile.toString(), "--bootstrap-servers", broker.bootstrapServers(),
        "--es-url", ElasticsearchExtension.url(), "--predictions-topic", "rd-predictions", "--labels-topic", "rd-labels",
        "--drift-topic", "rd-drift", "--performance-topic", "rd-performance", "--labelled-topic", "rd-labelled",
        "--baselines-topic", "rd-baselines", "--dead-letter-topic", "rd-dead", "--group-id", "rd-drift-job",
        "--checkpoint-interval", "500ms"};

    // Windows [0, 10m) … [20m, 30m) close in the first deployment ([30m, 40m) waits for later event time).
    deployUntil(client, args, first.size(), 3);
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      predictions.subList(first.size(), predictions.size())
          .forEach(e -> producer.send(new ProducerRecord<>("rd-predictions", e.key(), e.json())));
    }
    // The fresh deployment starts at the committed offset, with the window [30m, 40m) it had open lost,
    // and closes [40m, 50m) … [60m, 70m).
    deployUntil(client, args, predictions.size(), 6);

    List<JsonNode> results = new ArrayList<>();
    for (var r : TopicReader.readAll(broker.bootstrapServers(), "rd-drift", 1)) {
      results.add(Json.mapper().readTree(r.value()));
    }
    Set<String> windows = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (JsonNode r : results) {
      windows.add(r.get("window_start").asText());
      assertThat(keys.add(r.get("segment").asText() + "|" + r.get("feature").asText() + "|" + r.get("test").asText() + "|" + r.get("window_start").asText()))
          .as("each window's result once: " + r).isTrue();
    }
    assertThat(windows).containsExactlyInAnyOrder("2026-07-06T00:00:00Z", "2026-07-06T00:10:00Z", "2026-07-06T00:20:00Z",
        "2026-07-06T00:40:00Z", "2026-07-06T00:50:00Z", "2026-07-06T01:00:00Z");
    assertThat(results).as("every window of both deployments against the published baseline")
        .allSatisfy(r -> assertThat(r.get("reference_id").asText()).isEqualTo(published.profileId()));

    ReliabilityLog.row("Redeploy without a savepoint (drift job)",
        "a baseline published on the compacted topic; two deployments, each cancelled after its checkpoint",
        "the fresh deployment continues at the committed offsets and measures against the published baseline",
        String.format("predictions in %d (%d + %d); drift results %d for 6 windows, duplicates 0; the window open at "
            + "the cancel is lost (documented)", predictions.size(), first.size(), predictions.size() - first.size(),
            results.size()),
        "DriftDetectionRedeployTest");
  }

  /**
   * Runs the job's main until its predictions position is committed at {@code offset} and {@code
   * windows} windows have results on the drift topic, then cancels it (no savepoint).
   */
  static void deployUntil(ClusterClient<?> client, String[] args, long offset, int windows) throws Exception {
    StringWriter err = new StringWriter();
    Thread job = new Thread(() -> {
      try {
        DriftDetectionMain.execute(args, new PrintWriter(err, true));
      } catch (RuntimeException cancelled) {
        // a cancelled unbounded job ends its execute() with an exception
      }
    }, "drift-deployment");
    job.start();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (committed("rd-drift-job") < offset || windowsOnTopic() < windows) {
      assertThat(System.nanoTime()).as("deployment to commit offset " + offset + " (at " + committed("rd-drift-job")
          + ") with " + windows + " windows on the topic (" + windowStarts() + "); " + err).isLessThan(deadline);
      Thread.sleep(300);
    }
    for (JobStatusMessage running : client.listJobs().get()) {
      if (!running.getJobState().isGloballyTerminalState()) {
        client.cancel(running.getJobId()).get();
      }
    }
    job.join(60_000);
    assertThat(job.isAlive()).as("the cancelled deployment ended").isFalse();
  }

  static long committed(String group) throws Exception {
    try (var admin = KafkaExtension.broker().admin()) {
      var offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
          .get(new TopicPartition("rd-predictions", 0));
      return offset == null ? -1 : offset.offset();
    }
  }

  static long windowsOnTopic() throws Exception {
    return windowStarts().size();
  }

  static Set<String> windowStarts() throws Exception {
    Set<String> windows = new java.util.TreeSet<>();
    for (var r : TopicReader.readAll(KafkaExtension.broker().bootstrapServers(), "rd-drift", 0)) {
      JsonNode result = Json.mapper().readTree(r.value());
      windows.add(result.get("window_start").asText() + "/" + result.get("reference_id").asText());
    }
    return windows;
  }
}
