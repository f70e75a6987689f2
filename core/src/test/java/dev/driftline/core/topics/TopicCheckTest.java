package dev.driftline.core.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicCheckTest {
  private static TopicState state(String name, int partitions, Map<String, String> configs) {
    return new TopicState(name, partitions, 1, configs);
  }

  @Test
  void aTopicWithTheCataloguesConfigsMatches() {
    assertThat(TopicCheck.difference(Topic.BASELINES.byDefault(),
        state("baselines", 3, Map.of("cleanup.policy", "compact", "retention.ms", "604800000")), 3, 1)).isNull();
    assertThat(TopicCheck.difference(Topic.PREDICTIONS.byDefault(),
        state("predictions", 6, Map.of("cleanup.policy", "delete", "retention.ms", "604800000")), 3, null)).isNull();
  }

  @Test
  void namesEachDifferingSetting() {
    assertThat(TopicCheck.difference(Topic.BASELINES.byDefault(),
        state("baselines", 3, Map.of("cleanup.policy", "delete", "retention.ms", "604800000")), null, null))
        .isEqualTo("baselines: cleanup.policy is delete, expected compact");
    assertThat(TopicCheck.difference(Topic.BASELINES.byDefault(),
        state("baselines", 3, Map.of("cleanup.policy", "compact,delete")), null, null))
        .isEqualTo("baselines: cleanup.policy is compact,delete, expected compact");
    assertThat(TopicCheck.difference(Topic.ALERTS.byDefault(),
        state("alerts", 1, Map.of("cleanup.policy", "delete", "retention.ms", "604800000")), 3, 2))
        .isEqualTo("alerts: retention.ms is 604800000, expected 2592000000; partitions is 1, expected at least 3; "
            + "replication factor is 1, expected at least 2");
    assertThat(TopicCheck.difference(Topic.FEATURES.byDefault(), state("features.card_transactions", 3,
        Map.of("cleanup.policy", "compact")), null, null))
        .isEqualTo("features.card_transactions: min.compaction.lag.ms is not set, expected 2592000000");
  }

  @Test
  void minInsyncReplicasBelowTheRequestedIsADifferenceAboveItIsNot() {
    Map<String, String> configs = Map.of("cleanup.policy", "delete", "retention.ms", "604800000", "min.insync.replicas", "1");
    assertThat(TopicCheck.difference(Topic.PREDICTIONS.byDefault(), state("predictions", 3, configs), null, null, 2))
        .isEqualTo("predictions: min.insync.replicas is 1, expected at least 2");
    assertThat(TopicCheck.difference(Topic.PREDICTIONS.byDefault(), state("predictions", 3, configs), null, null, 1)).isNull();
    assertThat(TopicCheck.difference(Topic.PREDICTIONS.byDefault(), state("predictions", 3, configs), null, null, null)).isNull();
    assertThat(TopicCheck.difference(Topic.PREDICTIONS.byDefault(),
        state("predictions", 3, Map.of("cleanup.policy", "delete", "retention.ms", "604800000", "min.insync.replicas", "3")),
        null, null, 2)).isNull();
  }

  @Test
  void aMissingTopicIsOneLine() {
    assertThat(TopicCheck.difference(Topic.LABELS.named("my-labels"), null, null, null)).isEqualTo("my-labels: missing");
  }

  @Test
  void cleanupPoliciesCompareAsSets() {
    NamedTopic both = Topic.BASELINES.byDefault().withConfig("cleanup.policy", "compact,delete");
    assertThat(TopicCheck.difference(both, state("baselines", 1, Map.of("cleanup.policy", "delete, compact")), null, null)).isNull();
  }
}
