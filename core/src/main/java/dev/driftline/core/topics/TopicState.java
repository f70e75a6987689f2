package dev.driftline.core.topics;

import java.util.Map;

/**
 * What a broker says about one existing topic: its partitions, its smallest replication factor and
 * its effective configs (set on the topic or inherited from the broker).
 */
public record TopicState(String name, int partitions, int replication, Map<String, String> configs) {
  public TopicState {
    configs = Map.copyOf(configs);
  }
}
