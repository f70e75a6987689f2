package dev.driftline.cli.topics;

import dev.driftline.core.io.InputException;
import dev.driftline.core.topics.NamedTopic;
import dev.driftline.core.topics.Topic;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaTopics;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code driftline topics create}: creates the missing topics with the catalogue's configs; one line per topic. */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Create every missing Driftline topic with the catalogue's cleanup policy and retention "
        + "(and --min-insync-replicas when given); "
        + "prints one line per topic (created or exists). Existing topics are left as they are: see topics check.")
public final class TopicsCreateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin BrokerOptions options = new BrokerOptions();

  @Override
  public Integer call() {
    KafkaConfig kafka = options.config();
    List<NamedTopic> topics = options.topics();
    if (options.minInsyncReplicas != null) {
      topics = topics.stream().map(t -> t.withConfig(Topic.MIN_INSYNC_REPLICAS, options.minInsyncReplicas.toString())).toList();
    }
    Map<String, KafkaTopics.Outcome> done;
    try {
      done = KafkaTopics.create(kafka, topics, options.partitions, options.replication);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InputException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    for (NamedTopic t : topics) {
      KafkaTopics.Outcome o = done.get(t.name());
      out.println(t.name() + ": " + o.name().toLowerCase(Locale.ROOT)
          + (o == KafkaTopics.Outcome.CREATED ? " (" + describe(t) + ")" : ""));
    }
    out.flush();
    return 0;
  }

  /** {@code cleanup.policy=compact, retention.ms=604800000}. */
  static String describe(NamedTopic t) {
    return String.join(", ", t.orderedConfigs().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }
}
