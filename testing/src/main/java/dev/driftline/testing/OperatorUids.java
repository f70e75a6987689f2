package dev.driftline.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;

/**
 * The operator uids of a built job, checked against the committed list of the previous version:
 * a savepoint's state is matched to operators by uid, so a missing, duplicated or renamed uid is
 * an upgrade that loses state.
 */
public final class OperatorUids {
  private OperatorUids() {}

  /** Uid by operator (node id and name) of the job built into {@code env}; fails if Flink refuses the graph. */
  public static Map<String, String> of(StreamExecutionEnvironment env) {
    StreamGraph graph = env.getStreamGraph();
    Map<String, String> uids = new TreeMap<>();
    for (StreamNode node : graph.getStreamNodes()) {
      uids.put(node.getId() + " " + node.getOperatorName(), node.getTransformationUID());
    }
    return uids;
  }

  /**
   * Asserts that every operator of the job built into {@code env} has a uid, that no two share one,
   * and that they are exactly {@code expected}.
   */
  public static void assertStable(String job, StreamExecutionEnvironment env, Set<String> expected) {
    Map<String, String> uids = of(env);
    List<String> missing = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    Set<String> duplicated = new TreeSet<>();
    uids.forEach((operator, uid) -> {
      if (uid == null) {
        missing.add(operator);
      } else if (!seen.add(uid)) {
        duplicated.add(uid);
      }
    });
    if (!missing.isEmpty()) {
      throw new AssertionError(job + ": operators without a uid (their state would not restore from a savepoint): " + missing);
    }
    if (!duplicated.isEmpty()) {
      throw new AssertionError(job + ": uids given to more than one operator: " + duplicated);
    }
    Set<String> removed = new TreeSet<>(expected);
    removed.removeAll(seen);
    Set<String> added = new TreeSet<>(seen);
    added.removeAll(expected);
    if (!removed.isEmpty() || !added.isEmpty()) {
      throw new AssertionError(job + ": operator uids changed, removed " + removed + ", added " + added
          + ": savepoints of the previous version would no longer restore the state of the removed ones (Flink refuses"
          + " them without --allowNonRestoredState). Keep the old uids, or migrate the state and update the expected list.");
    }
  }
}
