package dev.driftline.jobs.featurepipeline;

import dev.driftline.core.topics.Topic;
import dev.driftline.runtime.options.JobCommands;
import dev.driftline.runtime.options.JobOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code flink run driftline-feature-pipeline.jar --view card-transactions.yaml --bootstrap-servers ... --es-url ...}:
 * parses and validates the arguments and the views, then {@link FeaturePipelineLauncher} creates
 * the log topics, installs the index template, wires the real Kafka and Elasticsearch ends to
 * {@link FeaturePipelineJob} and runs it.
 */
@Command(name = "feature-pipeline", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Driftline feature pipeline: per-entity sliding-window features from raw events into the feature "
        + "store (log topic features.<view> and index driftline-features-<view>). Submit with flink run.")
public final class FeaturePipelineCommand implements Callable<Integer> {
  @Option(names = "--view", required = true, paramLabel = "FILE",
      description = "Feature view (YAML); repeat the option for several views.")
  List<Path> views;

  @CommandLine.Mixin JobOptions job = new JobOptions();


  @Option(names = "--dead-letter-topic",
      description = "Topic of undecodable and late events (default: ${DEFAULT-VALUE}).")
  String deadLetterTopic = Topic.DEAD_LETTERS.defaultName();

  @Option(names = "--group-id", defaultValue = "driftline-feature-pipeline", description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
  String groupId;

  @Option(names = "--log-partitions", defaultValue = "6", paramLabel = "N",
      description = "Partitions of a log topic features.<view> the job creates when it is missing (default: ${DEFAULT-VALUE}).")
  int logPartitions;

  @Option(names = "--log-history", paramLabel = "DURATION",
      description = "min.compaction.lag.ms of a log topic the job creates: records younger than this are all kept for "
          + "point-in-time reads; older ones are compacted to the latest per entity (default: ${DEFAULT-VALUE}).")
  String logHistory = Topic.FEATURES.minCompactionLag().toDays() + "d";

  @Option(names = "--delivery", defaultValue = "exactly-once", paramLabel = "exactly-once|at-least-once",
      description = "Guarantee of the log topics (default: ${DEFAULT-VALUE}; exactly-once needs read_committed consumers).")
  String delivery;

  public static void main(String[] args) {
    int code = execute(args, new PrintWriter(System.err, true));
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the command; bad input is one line on {@code err} and exit code 2. */
  static int execute(String[] args, PrintWriter err) {
    return JobCommands.execute(new FeaturePipelineCommand(), "feature-pipeline", args, err);
  }

  @Override
  public Integer call() throws Exception {
    // Flink types stay out of this class, so that --help works outside a Flink installation too.
    return JobCommands.launch("driftline-feature-pipeline.jar", () -> FeaturePipelineLauncher.run(this));
  }
}
