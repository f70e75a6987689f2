package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.io.Json;
import dev.driftline.core.io.WrittenAt;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.ReliabilityLog;
import dev.driftline.services.TopicReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
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
 * What the two deployments wrote is compared with an uninterrupted, bounded run of the same input:
 * every drift result and every window's last performance record equal by id and value (only
 * {@code computed_at} aside), every closed window with the same prediction count; the only windows
 * missing are the one open at the first cancel (lost without a savepoint, documented) and the last,
 * still open when the second deployment was cancelled.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class DriftDetectionRedeployTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final Instant START = Instant.parse("2026-07-06T00:00:00Z");
  static final Duration PART = Duration.ofMinutes(40);

  @TempDir Path dir;

  @Test
  void aFreshDeploymentKeepsThePublishedBaselineAndEqualsAnUninterruptedRun(@InjectClusterClient ClusterClient<?> client)
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
    BaselineFiles.write(TrainingProfiles.build(spec, START.minus(Duration.ofDays(2)), Duration.ofHours(1), 2,
        START.minus(Duration.ofDays(1)), dir), initialFile);
    BaselineFile published = TrainingProfiles.build(spec, START.minus(Duration.ofDays(1)), Duration.ofHours(1), 3,
        START.minus(Duration.ofHours(1)), dir);
    Path profileFile = dir.resolve("published.json");
    BaselineFiles.write(published, profileFile);

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

    // The same input in one uninterrupted, bounded run on topics of its own: every record the two
    // deployments wrote must be one of its records, by id and value (only the computation time may
    // differ), and every window it closed must be there with the same prediction count, except the
    // window open at the cancel (lost, documented) and the last one, still open when the second
    // deployment was cancelled (the bounded run closes it at the end of its input).
    broker.createTopics(1, "ru-drift", "ru-performance", "ru-labelled", "ru-dead");
    String[] uninterruptedArgs = {"--spec", specFile.toString(), "--bootstrap-servers", broker.bootstrapServers(),
        "--es-url", ElasticsearchExtension.url(), "--predictions-topic", "rd-predictions", "--labels-topic", "rd-labels",
        "--drift-topic", "ru-drift", "--performance-topic", "ru-performance", "--labelled-topic", "ru-labelled",
        "--baselines-topic", "rd-baselines", "--dead-letter-topic", "ru-dead", "--group-id", "ru-drift-job",
        "--checkpoint-interval", "500ms", "--start-from", "earliest", "--bounded"};
    StringWriter err = new StringWriter();
    assertThat(DriftDetectionCommand.execute(uninterruptedArgs, new PrintWriter(err, true)))
        .as("the uninterrupted run: " + err).isZero();
    Set<String> open = Set.of("2026-07-06T00:30:00Z", "2026-07-06T01:10:00Z");

    Map<String, JsonNode> drift = byId(results, DriftDetectionRedeployTest::driftId, true);
    // Read to the count the two deployments imply (as many results per window, two windows more): a
    // read to the topic's end at once may come before the bounded run's last transaction is visible.
    int driftPerWindow = results.size() / windows.size();
    Map<String, JsonNode> uninterruptedDrift = byId(read("ru-drift", driftPerWindow * (windows.size() + open.size())),
        DriftDetectionRedeployTest::driftId, true);
    assertThat(windowsOf(uninterruptedDrift.values())).as("the uninterrupted run's drift windows")
        .isEqualTo(union(windows, open));
    assertSameAsUninterrupted("drift results", drift, uninterruptedDrift, open);

    Map<String, JsonNode> performance = byId(read("rd-performance", 0), DriftDetectionRedeployTest::performanceId, false);
    Map<String, JsonNode> uninterruptedPerformance = byId(read("ru-performance", windows.size() + open.size()), DriftDetectionRedeployTest::performanceId, false);
    assertThat(uninterruptedPerformance).as("performance windows of the uninterrupted run").isNotEmpty();
    assertSameAsUninterrupted("performance (the last record per window)", performance, uninterruptedPerformance, open);
    // Per-window completeness: every (model, segment, window) with the same number of predictions.
    Map<String, Long> counts = predictionsPerWindow(performance);
    Map<String, JsonNode> closedInBoth = new TreeMap<>(uninterruptedPerformance);
    closedInBoth.values().removeIf(r -> open.contains(r.get("window_start").asText()));
    Map<String, Long> uninterruptedCounts = predictionsPerWindow(closedInBoth);
    assertThat(counts).as("predictions per (model, segment, window)").isEqualTo(uninterruptedCounts);
    long predictionsInWindows = uninterruptedCounts.values().stream().mapToLong(Long::longValue).sum();

    Map<String, JsonNode> labelled = byId(read("rd-labelled", 0), r -> r.get("prediction_id").asText(), false);
    Map<String, JsonNode> uninterruptedLabelled = byId(read("ru-labelled", 0), r -> r.get("prediction_id").asText(), false);
    assertThat(labelled).as("labelled predictions, by prediction id").isEqualTo(uninterruptedLabelled);

    ReliabilityLog.row("Redeploy without a savepoint (drift job)",
        "a baseline published on the compacted topic; two deployments, each cancelled after its checkpoint",
        "the fresh deployment continues at the committed offsets and measures against the published baseline; "
            + "every drift and performance record equals an uninterrupted run's by id and value, every window "
            + "closed has the uninterrupted run's prediction count",
        String.format("predictions in %d (%d + %d); drift results %d for 6 windows, duplicates 0, differing from the "
            + "uninterrupted run 0; performance windows %d with %d predictions, missing 0; labelled %d (no labels sent); the window "
            + "open at the cancel is lost (documented)", predictions.size(), first.size(), predictions.size() - first.size(),
            results.size(), counts.size(), predictionsInWindows, labelled.size()),
        "DriftDetectionRedeployTest");
  }

  /** Fields that say when a record was made, not what it says. */
  static final List<String> VOLATILE = WrittenAt.FIELDS;

  /** The committed records of {@code topic}, at least {@code expected} of them (see {@link TopicReader#readAll}). */
  static List<JsonNode> read(String topic, int expected) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (var r : TopicReader.readAll(KafkaExtension.broker().bootstrapServers(), topic, expected)) {
      out.add(Json.mapper().readTree(r.value()));
    }
    return out;
  }

  /** Records by id without their volatile fields; the last one per id, or each id once when {@code once}. */
  static Map<String, JsonNode> byId(List<JsonNode> records, Function<JsonNode, String> id, boolean once) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (JsonNode r : records) {
      ObjectNode value = ((ObjectNode) r).deepCopy();
      VOLATILE.forEach(value::remove);
      JsonNode before = out.put(id.apply(r), value);
      assertThat(once && before != null).as("each record once: " + r).isFalse();
    }
    return out;
  }

  static void assertSameAsUninterrupted(String what, Map<String, JsonNode> actual, Map<String, JsonNode> uninterrupted,
      Set<String> open) {
    Map<String, JsonNode> expected = new TreeMap<>(uninterrupted);
    expected.values().removeIf(r -> open.contains(r.get("window_start").asText()));
    assertThat(actual.keySet()).as(what + ": ids").isEqualTo(expected.keySet());
    expected.forEach((id, value) -> assertThat(actual.get(id)).as(what + ": " + id).isEqualTo(value));
  }

  static String driftId(JsonNode r) {
    return String.join("|", r.get("model_id").asText(), r.get("segment").asText(), r.get("feature").asText(),
        r.get("test").asText(), r.get("window_start").asText(), r.get("window_end").asText());
  }

  static String performanceId(JsonNode r) {
    String id = String.join("|", r.get("model_id").asText(), r.get("segment").asText(), r.get("window_start").asText(),
        r.get("window_end").asText());
    return r.path("estimated").asBoolean() ? id + "|estimated" : id;
  }

  static Map<String, Long> predictionsPerWindow(Map<String, JsonNode> performance) {
    Map<String, Long> out = new TreeMap<>();
    performance.forEach((id, r) -> {
      if (!r.path("estimated").asBoolean()) {
        out.put(id, r.get("predictions").asLong());
      }
    });
    return out;
  }

  static Set<String> windowsOf(Iterable<JsonNode> records) {
    Set<String> out = new TreeSet<>();
    records.forEach(r -> out.add(r.get("window_start").asText()));
    return out;
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new TreeSet<>(a);
    out.addAll(b);
    return out;
  }

  /**
   * Runs the job's main until its predictions position is committed at {@code offset} and {@code
   * windows} windows have results on the drift topic, then cancels it (no savepoint).
   */
  static void deployUntil(ClusterClient<?> client, String[] args, long offset, int windows) throws Exception {
    StringWriter err = new StringWriter();
    Thread job = new Thread(() -> {
      try {
        DriftDetectionCommand.execute(args, new PrintWriter(err, true));
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
