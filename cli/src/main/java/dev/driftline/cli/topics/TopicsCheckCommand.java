package dev.driftline.cli.topics;

import dev.driftline.core.io.InputException;
import dev.driftline.core.topics.NamedTopic;
import dev.driftline.core.topics.TopicCheck;
import dev.driftline.core.topics.TopicState;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaTopics;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code driftline topics check}: one line per topic whose configuration differs from the catalogue;
 * exit 1 when any differs, 0 when all match (and nothing is printed), 2 on an error.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
    description = "List every Driftline topic whose configuration differs from the catalogue (missing, cleanup.policy, "
        + "retention, partitions, replication or min.insync.replicas below --partitions/--replication/"
        + "--min-insync-replicas), one line each. "
        + "Exit code 1 when any differs, 0 when all match, 2 on an error.")
public final class TopicsCheckCommand implements Callable<Integer> {
  public static final int EXIT_DIFFERS = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin BrokerOptions options = new BrokerOptions();

  @Override
  public Integer call() {
    KafkaConfig kafka = options.config();
    List<NamedTopic> topics = options.topics();
    Map<String, TopicState> states;
    try {
      states = KafkaTopics.describe(kafka, topics.stream().map(NamedTopic::name).toList());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InputException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    int differing = 0;
    for (NamedTopic t : topics) {
      String difference = TopicCheck.difference(t, states.get(t.name()), options.partitions, options.replication,
          options.minInsyncReplicas);
      if (difference != null) {
        out.println(difference);
        differing++;
      }
    }
    out.flush();
    return differing == 0 ? 0 : EXIT_DIFFERS;
  }
}
