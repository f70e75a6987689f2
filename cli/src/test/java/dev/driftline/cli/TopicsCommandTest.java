package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.topics.Topic;
import dev.driftline.core.topics.Topics;
import dev.driftline.services.KafkaBroker;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code driftline topics create|check} on a real broker. Its own broker, not the shared
 * KafkaExtension one: these commands create the default-named topics, and the demo's test on the
 * shared broker needs a broker without them.
 */
class TopicsCommandTest {
  private static KafkaBroker broker;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.start(Path.of("target", "kafka-topics-command-" + ProcessHandle.current().pid()), 0);
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void createThenCheckReportsNothingAndCheckNamesABaselinesTopicThatIsNoLongerCompacted() throws Exception {
    String kafka = broker.bootstrapServers();
    CliRun created = CliRun.of("topics", "create", "--kafka", kafka, "--partitions", "2", "--replication", "1");
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out().lines()).containsExactly(
        "predictions: created (cleanup.policy=delete, retention.ms=604800000)",
        "labels: created (cleanup.policy=delete, retention.ms=604800000)",
        "card-transactions: created (cleanup.policy=delete, retention.ms=604800000)",
        "baselines: created (cleanup.policy=compact)",
        "drift-results: created (cleanup.policy=delete, retention.ms=604800000)",
        "performance: created (cleanup.policy=delete, retention.ms=604800000)",
        "labelled-predictions: created (cleanup.policy=delete, retention.ms=2592000000)",
        "retrain-triggers: created (cleanup.policy=delete, retention.ms=2592000000)",
        "alerts: created (cleanup.policy=delete, retention.ms=2592000000)",
        "dead-letters: created (cleanup.policy=delete, retention.ms=2592000000)",
        "features.card_transactions: created (cleanup.policy=compact, min.compaction.lag.ms=2592000000)");
    try (Admin admin = broker.admin()) {
      assertThat(admin.describeTopics(List.of("baselines")).allTopicNames().get().get("baselines").partitions()).hasSize(2);
    }

    CliRun check = CliRun.of("topics", "check", "--kafka", kafka, "--partitions", "2");
    assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
    assertThat(check.out()).isEmpty();

    CliRun again = CliRun.of("topics", "create", "--kafka", kafka);
    assertThat(again.exitCode()).isZero();
    assertThat(again.out().lines()).containsExactlyElementsOf(Topics.defaults().stream().map(t -> t.name() + ": exists").toList());

    broker.alterTopicConfig("baselines", "cleanup.policy", "delete");
    CliRun differs = CliRun.of("topics", "check", "--kafka", kafka);
    assertThat(differs.exitCode()).isEqualTo(1);
    assertThat(differs.out()).isEqualTo("baselines: cleanup.policy is delete, expected compact" + System.lineSeparator());
    assertThat(differs.err()).isEmpty();

    CliRun wider = CliRun.of("topics", "check", "--kafka", kafka, "--partitions", "3");
    assertThat(wider.exitCode()).isEqualTo(1);
    assertThat(wider.out().lines()).hasSize(Topic.values().length)
        .contains("baselines: cleanup.policy is delete, expected compact; partitions is 2, expected at least 3",
            "predictions: partitions is 2, expected at least 3");
  }

  @Test
  void createSetsMinInsyncReplicasAndCheckNamesTopicsBelowIt() throws Exception {
    String kafka = broker.bootstrapServers();
    String view = writeView("isr", "isr-events").toString();
    // One broker: the topics' own min.insync.replicas only, no write with acks=all is tried.
    CliRun created = CliRun.of("topics", "create", "--kafka", kafka, "--view", view, "--partitions", "1", "--min-insync-replicas", "2");
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out().lines()).contains(
        "isr-events: created (cleanup.policy=delete, retention.ms=604800000, min.insync.replicas=2)",
        "features.isr: created (cleanup.policy=compact, min.compaction.lag.ms=2592000000, min.insync.replicas=2)");
    try (Admin admin = broker.admin()) {
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, "isr-events");
      assertThat(admin.describeConfigs(List.of(r)).all().get().get(r).get("min.insync.replicas").value()).isEqualTo("2");
    }

    // The catalogue's other topics are missing or have the broker's 1, whichever test ran first: differences either way.
    CliRun two = CliRun.of("topics", "check", "--kafka", kafka, "--view", view, "--min-insync-replicas", "2");
    assertThat(two.exitCode()).isEqualTo(1);
    assertThat(two.out().lines()).noneMatch(l -> l.startsWith("isr-events:") || l.startsWith("features.isr:"))
        .anyMatch(l -> l.equals("predictions: missing") || l.equals("predictions: min.insync.replicas is 1, expected at least 2"));
    CliRun three = CliRun.of("topics", "check", "--kafka", kafka, "--view", view, "--min-insync-replicas", "3");
    assertThat(three.out().lines()).contains("isr-events: min.insync.replicas is 2, expected at least 3",
        "features.isr: min.insync.replicas is 2, expected at least 3");
  }

  @Test
  void aMissingTopicIsADifference() throws Exception {
    CliRun check = CliRun.of("topics", "check", "--kafka", broker.bootstrapServers(), "--view",
        writeView("logins", "login-events").toString());
    assertThat(check.exitCode()).isEqualTo(1);
    // The view's topics replace the example view's.
    assertThat(check.out().lines()).contains("login-events: missing", "features.logins: missing");
    assertThat(check.out()).doesNotContain("card");
  }

  @Test
  void errorsAreOneLineWithExitCode2() throws Exception {
    CliRun bad = CliRun.of("topics", "check", "--kafka", "nohost");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("driftline: Kafka bootstrap servers: expected host:port, got \"nohost\"" + System.lineSeparator());

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // The admin client's own timeout, given as a client property, instead of the default 20 s.
    long asked = System.nanoTime();
    CliRun away = CliRun.of("topics", "create", "--kafka", "127.0.0.1:" + port, "--kafka-property", "default.api.timeout.ms=1500",
        "--kafka-property", "request.timeout.ms=1000");
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - asked)).as("the given timeout, not the default 20 s")
        .isLessThan(java.time.Duration.ofSeconds(15));
    assertThat(away.exitCode()).isEqualTo(2);
    assertThat(away.out()).isEmpty();
    assertThat(away.err().lines()).hasSize(1).first().asString().startsWith("driftline: Kafka at 127.0.0.1:" + port + ": did not answer");

    CliRun tooMany = CliRun.of("topics", "create", "--kafka", broker.bootstrapServers(), "--replication", "1",
        "--min-insync-replicas", "2");
    assertThat(tooMany.exitCode()).isEqualTo(2);
    assertThat(tooMany.err()).isEqualTo("driftline: --min-insync-replicas: expected at most --replication (1), got 2 "
        + "(no acks=all write could succeed)" + System.lineSeparator());

    CliRun zero = CliRun.of("topics", "create", "--kafka", broker.bootstrapServers(), "--partitions", "0");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).isEqualTo("driftline: --partitions: expected 1 or more, got 0" + System.lineSeparator());
  }

  @Test
  void scriptAndTablePrintWhatTheCatalogueGenerates() {
    assertThat(CliRun.of("topics", "script").out()).isEqualTo(Topics.script());
    assertThat(CliRun.of("topics", "table").out()).isEqualTo(Topics.markdownTable());
  }

  private static Path writeView(String name, String topic) throws Exception {
    String yaml = java.nio.file.Files.readString(Path.of("../examples/feature-views/card-transactions.yaml"))
        .replace("view: card_transactions", "view: " + name).replace("topic: card-transactions", "topic: " + topic);
    Path dir = java.nio.file.Files.createDirectories(Path.of("target", "topics-command-test"));
    return java.nio.file.Files.writeString(dir.resolve(name + ".yaml"), yaml);
  }

}
