package dev.driftline.cli.topics;

import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.io.InputException;
import dev.driftline.core.topics.NamedTopic;
import dev.driftline.core.topics.Topics;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.options.KafkaClientOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The options {@code topics create} and {@code topics check} share: the broker, its client properties, sizes, views. */
final class BrokerOptions {
  @Option(names = "--kafka", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]", description = "Kafka bootstrap servers.")
  String kafka;

  @CommandLine.Mixin KafkaClientOptions client = new KafkaClientOptions();

  @Option(names = "--partitions", paramLabel = "N",
      description = "create: partitions of each topic it creates (default: the broker's num.partitions); "
          + "check: a topic with fewer is a difference.")
  Integer partitions;

  @Option(names = "--replication", paramLabel = "N",
      description = "create: replication factor of each topic it creates (default: the broker's default.replication.factor); "
          + "check: a topic with fewer replicas is a difference.")
  Integer replication;

  @Option(names = "--min-insync-replicas", paramLabel = "N",
      description = "create: min.insync.replicas of each topic it creates, the replicas that must have an acks=all write "
          + "(default: the broker's min.insync.replicas); check: a topic with a lower one is a difference.")
  Integer minInsyncReplicas;

  @Option(names = "--view", paramLabel = "FILE",
      description = "Feature view (YAML) whose source and log topics to include instead of the example view's "
          + "(card-transactions, features.card_transactions); repeatable.")
  List<Path> views = new ArrayList<>();

  KafkaConfig config() {
    if (partitions != null && partitions < 1) {
      throw new InputException("--partitions: expected 1 or more, got " + partitions);
    }
    if (replication != null && (replication < 1 || replication > Short.MAX_VALUE)) {
      throw new InputException("--replication: expected 1 or more, got " + replication);
    }
    if (minInsyncReplicas != null && minInsyncReplicas < 1) {
      throw new InputException("--min-insync-replicas: expected 1 or more, got " + minInsyncReplicas);
    }
    if (minInsyncReplicas != null && replication != null && minInsyncReplicas > replication) {
      throw new InputException("--min-insync-replicas: expected at most --replication (" + replication + "), got "
          + minInsyncReplicas + " (no acks=all write could succeed)");
    }
    try {
      return KafkaConfig.of(kafka, client.properties());
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
  }

  /** The catalogue's topics under their default names, with the views' feature topics when any are given. */
  List<NamedTopic> topics() {
    List<FeatureView> parsed = new ArrayList<>();
    for (Path v : views) {
      parsed.add(FeatureViewParser.load(v));
    }
    return Topics.withViews(parsed);
  }
}
