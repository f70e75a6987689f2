package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's entry point refuses bad arguments with one line and exit code 2, before touching Flink;
 * the topics are checked (on the real broker) before Elasticsearch.
 */
@ExtendWith(KafkaExtension.class)
class DriftDetectionCommandTest {
  @TempDir Path dir;

  private static String[] run(String... args) {
    StringWriter err = new StringWriter();
    int code = DriftDetectionCommand.execute(args, new PrintWriter(err, true));
    return new String[] {Integer.toString(code), err.toString().strip()};
  }

  @Test
  void aBadSpecIsOneLine() throws Exception {
    Path spec = Files.writeString(dir.resolve("m.yaml"), "model_id: m\ntask: ranking\n");
    assertThat(run("--spec", spec.toString(), "--bootstrap-servers", "127.0.0.1:9", "--es-url", "http://127.0.0.1:9"))
        .containsExactly("2", "drift-detection: " + spec + ": task: expected one of binary_classification|multiclass_classification|regression, got \"ranking\"");
  }

  @Test
  void aMissingProfileIsOneLine() {
    assertThat(run("--spec", "../../examples/credit-default/monitor.yaml", "--bootstrap-servers", "127.0.0.1:9",
        "--es-url", "http://127.0.0.1:9")[1])
        .isEqualTo("drift-detection: examples/credit-default/profile.json: no such profile (reference.path of model "
            + "credit-default); build it with driftline baseline build");
  }

  @Test
  void aWindowReferenceTakesItsCalibrationFromTheEstimationProfile() throws Exception {
    Path csv = Files.writeString(dir.resolve("churn.csv"), String.join("\n",
        "tenure_months,monthly_spend,support_tickets_30d,plan,payment_method,score,label",
        "1,20,0,basic,card,0.2,0", "5,30,1,pro,card,0.4,1", "9,25,2,basic,debit,0.7,1", ""));
    String yaml = Files.readString(Path.of("../../examples/churn/monitor.yaml"));
    dev.driftline.core.spec.MonitorSpec spec = dev.driftline.core.spec.MonitorSpecParser.parse("churn.yaml",
        yaml + "\nperformance_estimation: {profile: " + dir.resolve("churn-profile.json") + "}\n");
    dev.driftline.core.baseline.BaselineFiles.write(dev.driftline.core.baseline.BaselineBuilder.build(spec,
        dev.driftline.core.io.CsvTable.read(csv), java.time.Instant.EPOCH), dir.resolve("churn-profile.json"));

    var baselines = DriftDetectionLauncher.loadProfiles(java.util.List.of(spec));

    assertThat(baselines.get("churn").calibration().x()).containsExactly(0.2, 0.4, 0.7);
    assertThat(baselines.get("churn").calibration().y()).containsExactly(0.0, 1.0, 1.0);
    Path missing = Files.writeString(dir.resolve("churn.yaml"), yaml + "\nperformance_estimation: {profile: missing.json}\n");
    assertThat(run("--spec", missing.toString(), "--bootstrap-servers", "127.0.0.1:9", "--es-url", "http://127.0.0.1:9")[1])
        .isEqualTo("drift-detection: missing.json: no such profile (performance_estimation.profile of model churn); "
            + "build it with driftline baseline build");
  }

  /** A regression spec and the options naming {@code prefix}'s topics, its input topics created on the real broker. */
  private String[] argsWithTopics(String prefix, String esUrl) throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(1, prefix + "-predictions", prefix + "-labels");
    awaitListed(prefix + "-predictions", prefix + "-labels");
    Path spec = Files.writeString(dir.resolve("m.yaml"), String.join("\n", "model_id: m", "task: regression",
        "features: [{name: x, type: numeric}]", "reference: {source: previous_window}", "window: {size: 1h}"));
    return new String[] {"--spec", spec.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--es-url", esUrl,
        "--predictions-topic", prefix + "-predictions", "--labels-topic", prefix + "-labels",
        "--baselines-topic", prefix + "-baselines", "--drift-topic", prefix + "-drift", "--performance-topic", prefix + "-performance",
        "--labelled-topic", prefix + "-labelled", "--dead-letter-topic", prefix + "-dead"};
  }

  /** A topic just created reaches the broker's metadata a moment later; the job's check lists topics. */
  private static void awaitListed(String... topics) throws Exception {
    try (Admin admin = KafkaExtension.broker().admin()) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!admin.listTopics().names().get().containsAll(java.util.List.of(topics))) {
        assertThat(System.nanoTime()).as("topics " + String.join(", ", topics) + " listed").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String cleanupPolicy(String topic) throws Exception {
    try (Admin admin = KafkaExtension.broker().admin()) {
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      return admin.describeConfigs(java.util.List.of(r)).all().get().get(r).get("cleanup.policy").value();
    }
  }

  @Test
  void anUnreachableElasticsearchIsOneLine() throws Exception {
    int port = closedPort();
    String[] r = run(argsWithTopics("es", "http://127.0.0.1:" + port));
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).startsWith("drift-detection: Elasticsearch at http://127.0.0.1:" + port + ": ").doesNotContain("\n");
  }

  @Test
  void refusesABaselinesTopicThatIsNotCompacted() throws Exception {
    KafkaExtension.broker().createTopics(1, "plain-baselines");
    awaitListed("plain-baselines");
    assertThat(run(argsWithTopics("plain", "http://127.0.0.1:" + closedPort()))).containsExactly("2",
        "drift-detection: --baselines-topic plain-baselines: cleanup.policy is delete, expected compact (each model's latest "
            + "baseline must outlive the retention); make it so with kafka-configs.sh --alter --entity-type topics "
            + "--entity-name plain-baselines --add-config cleanup.policy=compact");
  }

  @Test
  void readsACompactedBaselinesTopicAndCreatesAMissingOneCompacted() throws Exception {
    KafkaExtension.broker().createCompactedTopic("compacted-baselines", 1);
    awaitListed("compacted-baselines");
    int port = closedPort();
    // Past the topic checks, the next step is Elasticsearch's templates: its error shows the baselines were accepted.
    assertThat(run(argsWithTopics("compacted", "http://127.0.0.1:" + port))[1])
        .startsWith("drift-detection: Elasticsearch at http://127.0.0.1:" + port + ": ");

    assertThat(run(argsWithTopics("fresh", "http://127.0.0.1:" + port))[1])
        .startsWith("drift-detection: Elasticsearch at http://127.0.0.1:" + port + ": ");
    assertThat(cleanupPolicy("fresh-baselines")).isEqualTo("compact");
    assertThat(cleanupPolicy("fresh-drift")).isEqualTo("delete");
  }

  @Test
  void aMissingInputTopicIsOneLine() throws Exception {
    String[] args = argsWithTopics("input", "http://127.0.0.1:9");
    args[7] = "input-nothing";  // the value of --predictions-topic
    assertThat(run(args)).containsExactly("2", "drift-detection: Kafka at " + KafkaExtension.broker().bootstrapServers()
        + " has no topic input-nothing; create it (the job reads it) or name another with its option");
  }

  @Test
  void aBadOptionValueIsOneLine() throws Exception {
    Path spec = Files.writeString(dir.resolve("m.yaml"), String.join("\n", "model_id: m", "task: regression",
        "features: [{name: x, type: numeric}]", "reference: {source: previous_window}", "window: {size: 1h}"));
    assertThat(run("--spec", spec.toString(), "--bootstrap-servers", "127.0.0.1:9", "--es-url", "http://127.0.0.1:9",
        "--delivery", "twice")).containsExactly("2", "drift-detection: --delivery: expected exactly-once or at-least-once, got twice");
    assertThat(run("--spec", spec.toString(), "--bootstrap-servers", "nohost", "--es-url", "http://127.0.0.1:9"))
        .containsExactly("2", "drift-detection: Kafka bootstrap servers: expected host:port, got \"nohost\"");
  }
}
