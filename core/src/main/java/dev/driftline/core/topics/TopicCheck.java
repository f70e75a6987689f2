package dev.driftline.core.topics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Compares a topic as the broker has it with its catalogue entry: the differences as one line, or null. */
public final class TopicCheck {
  private TopicCheck() {}

  /** As {@link #difference(NamedTopic, TopicState, Integer, Integer, Integer)} without a min.insync.replicas check. */
  public static String difference(NamedTopic expected, TopicState actual, Integer minPartitions, Integer minReplication) {
    return difference(expected, actual, minPartitions, minReplication, null);
  }

  /**
   * E.g. {@code baselines: cleanup.policy is delete, expected compact}; {@code labels: missing};
   * null when {@code actual} matches. Partitions, replication and {@code min.insync.replicas} are
   * checked only when requested (not null): fewer than requested is a difference, more is not.
   *
   * @param actual the broker's view of the topic, or null when it does not exist
   */
  public static String difference(NamedTopic expected, TopicState actual, Integer minPartitions, Integer minReplication,
      Integer minInsyncReplicas) {
    if (actual == null) {
      return expected.name() + ": missing";
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : expected.orderedConfigs().entrySet()) {
      String have = actual.configs().get(e.getKey());
      boolean same = e.getKey().equals(Topic.CLEANUP_POLICY)
          ? policies(e.getValue()).equals(policies(have))
          : e.getValue().equals(have);
      if (!same) {
        out.add(e.getKey() + " is " + (have == null ? "not set" : have) + ", expected " + e.getValue());
      }
    }
    if (minPartitions != null && actual.partitions() < minPartitions) {
      out.add("partitions is " + actual.partitions() + ", expected at least " + minPartitions);
    }
    if (minReplication != null && actual.replication() < minReplication) {
      out.add("replication factor is " + actual.replication() + ", expected at least " + minReplication);
    }
    if (minInsyncReplicas != null) {
      String have = actual.configs().get(Topic.MIN_INSYNC_REPLICAS);
      if (have == null || !have.matches("\\d+") || Integer.parseInt(have) < minInsyncReplicas) {
        out.add(Topic.MIN_INSYNC_REPLICAS + " is " + (have == null ? "not set" : have) + ", expected at least " + minInsyncReplicas);
      }
    }
    return out.isEmpty() ? null : expected.name() + ": " + String.join("; ", out);
  }

  /** {@code compact,delete} and {@code delete, compact} are the same policy. */
  private static Set<String> policies(String value) {
    Set<String> out = new TreeSet<>();
    if (value != null) {
      Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
    }
    return out;
  }
}
