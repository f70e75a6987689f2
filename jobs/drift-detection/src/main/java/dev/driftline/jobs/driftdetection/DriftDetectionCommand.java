package dev.driftline.jobs.driftdetection;

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
 * {@code flink run driftline-drift-detection.jar --spec monitor.yaml --bootstrap-servers ... --es-url ...}:
 * parses and validates the arguments, loads the baselines, installs the index templates,
 * wires the real Kafka and Elasticsearch ends to {@link DriftDetectionJob} and runs it.
 */
@Command(name = "drift-detection", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Driftline drift-detection job: delayed-label performance and windowed drift per model, "
        + "to Kafka and Elasticsearch. Submit with flink run.")
public final class DriftDetectionCommand implements Callable<Integer> {
  @Option(names = "--spec", required = true, arity = "1..*", paramLabel = "FILE",
      description = "Monitor spec (YAML) of a model; repeat for several models.")
  List<Path> specs;

  @CommandLine.Mixin JobOptions job = new JobOptions();


  // Defaults from the topic catalogue (field values, which picocli shows as ${DEFAULT-VALUE}).
  @Option(names = "--predictions-topic", description = "Default: ${DEFAULT-VALUE}.")
  String predictionsTopic = Topic.PREDICTIONS.defaultName();

  @Option(names = "--labels-topic", description = "Default: ${DEFAULT-VALUE}.")
  String labelsTopic = Topic.LABELS.defaultName();

  @Option(names = "--drift-topic", description = "Default: ${DEFAULT-VALUE}.")
  String driftTopic = Topic.DRIFT_RESULTS.defaultName();

  @Option(names = "--performance-topic", description = "Default: ${DEFAULT-VALUE}.")
  String performanceTopic = Topic.PERFORMANCE.defaultName();

  @Option(names = "--labelled-topic",
      description = "Output: every prediction with its label, the data trainers pull (default: ${DEFAULT-VALUE}).")
  String labelledTopic = Topic.LABELLED_PREDICTIONS.defaultName();

  @Option(names = "--baselines-topic",
      description = "Input: new baselines that replace a model's baseline without a restart; must be compacted "
          + "(default: ${DEFAULT-VALUE}).")
  String baselinesTopic = Topic.BASELINES.defaultName();

  @Option(names = "--dead-letter-topic", description = "Default: ${DEFAULT-VALUE}.")
  String deadLetterTopic = Topic.DEAD_LETTERS.defaultName();

  @Option(names = "--group-id", defaultValue = "driftline-drift-detection", description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
  String groupId;

  @Option(names = "--delivery", defaultValue = "exactly-once", paramLabel = "exactly-once|at-least-once",
      description = "Guarantee of the Kafka outputs (default: ${DEFAULT-VALUE}; exactly-once needs read_committed consumers).")
  String delivery;





  public static void main(String[] args) {
    int code = execute(args, new PrintWriter(System.err, true));
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the command; bad input is one line on {@code err} and exit code 2. */
  static int execute(String[] args, PrintWriter err) {
    return JobCommands.execute(new DriftDetectionCommand(), "drift-detection", args, err);
  }

  @Override
  public Integer call() throws Exception {
    // Flink types stay out of this class, so that --help works outside a Flink installation too.
    return JobCommands.launch("driftline-drift-detection.jar", () -> DriftDetectionLauncher.run(this));
  }
}
