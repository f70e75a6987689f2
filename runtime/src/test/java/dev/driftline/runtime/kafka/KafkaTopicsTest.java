package dev.driftline.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.core.topics.Topic;
import dev.driftline.core.topics.TopicState;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a job's launcher does with its topics, on the real broker. */
@ExtendWith(KafkaExtension.class)
class KafkaTopicsTest {
  /** A topic just created reaches the broker's metadata a moment later; the methods under test list topics. */
  private static void awaitListed(String... topics) throws Exception {
    try (Admin admin = KafkaExtension.broker().admin()) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!admin.listTopics().names().get().containsAll(List.of(topics))) {
        assertThat(System.nanoTime()).as("topics " + String.join(", ", topics) + " listed").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  @Test
  void ensureCreatesMissingTopicsWithTheCataloguesConfigsAndRequiresTheUsersInputs() throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    broker.createTopics(1, "kt-predictions");
    awaitListed("kt-predictions");

    KafkaTopics.ensure(kafka, List.of(Topic.PREDICTIONS.named("kt-predictions"), Topic.BASELINES.named("kt-baselines"),
        Topic.DEAD_LETTERS.named("kt-dead")));

    Map<String, TopicState> states = KafkaTopics.describe(kafka, List.of("kt-predictions", "kt-baselines", "kt-dead", "kt-none"));
    assertThat(states).containsOnlyKeys("kt-predictions", "kt-baselines", "kt-dead");
    assertThat(states.get("kt-baselines").configs()).containsEntry("cleanup.policy", "compact");
    assertThat(states.get("kt-dead").configs()).containsEntry("cleanup.policy", "delete").containsEntry("retention.ms", "2592000000");
    assertThat(states.get("kt-dead").replication()).isEqualTo(1);

    assertThatThrownBy(() -> KafkaTopics.ensure(kafka, List.of(Topic.LABELS.named("kt-labels"))))
        .hasMessage("Kafka at " + broker.bootstrapServers() + " has no topic kt-labels; create it (the job reads it) "
            + "or name another with its option");
    assertThat(KafkaTopics.describe(kafka, List.of("kt-labels"))).as("a users' input is never created").isEmpty();
  }

  @Test
  void requireCompactedAcceptsCompactionAloneAndRefusesCompactAndDelete() throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    broker.createCompactedTopic("kt-compacted", 1);
    try (Admin admin = broker.admin()) {
      admin.createTopics(List.of(new NewTopic("kt-both", 1, (short) 1).configs(Map.of("cleanup.policy", "compact,delete"))))
          .all().get();
    }
    awaitListed("kt-compacted", "kt-both");

    KafkaTopics.requireCompacted(kafka, "kt-compacted", "--baselines-topic");
    assertThatThrownBy(() -> KafkaTopics.requireCompacted(kafka, "kt-both", "--baselines-topic"))
        .hasMessageStartingWith("--baselines-topic kt-both: cleanup.policy is compact,delete, expected compact");
    assertThatThrownBy(() -> KafkaTopics.requireCompacted(kafka, "kt-absent", "--baselines-topic"))
        .hasMessage("Kafka at " + broker.bootstrapServers() + " has no topic kt-absent (--baselines-topic)");
  }
}
