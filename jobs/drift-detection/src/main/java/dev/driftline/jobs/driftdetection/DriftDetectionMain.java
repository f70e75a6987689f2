package dev.driftline.jobs.driftdetection;

import dev.driftline.connectors.cli.JobCommands;
import dev.driftline.connectors.cli.JobOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink run driftline-drift-detection.jar --spec monitor.yaml --bootstrap-servers ... --es-url ...}:
 * parses and validates the arguments, loads the reference profiles, installs the index templates,
 * wires the real Kafka and Elasticsearch ends to {@link DriftDetectionJob} and runs it.
 */
@Command(name = "drift-detection", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Driftline drift-detection job: delayed-label performance and windowed drift per model, "
        + "to Kafka and Elasticsearch. Submit with flink run.")
public final class DriftDetectionMain implements Callable<Integer> {
  @Option(names = "--spec", required = true, arity = "1..*", paramLabel = "FILE",
      description = "Monitor spec (YAML) of a model; repeat for several models.")
  List<Path> specs;

  @CommandLine.Mixin JobOptions job = new JobOptions();


  @Option(names = "--predictions-topic", defaultValue = "predictions", description = "Default: ${DEFAULT-VALUE}.")
  String predictionsTopic;

  @Option(names = "--labels-topic", defaultValue = "labels", description = "Default: ${DEFAULT-VALUE}.")
  String labelsTopic;

  @Option(names = "--drift-topic", defaultValue = DriftOutputs.DRIFT_TOPIC, description = "Default: ${DEFAULT-VALUE}.")
  String driftTopic;

  @Option(names = "--performance-topic", defaultValue = DriftOutputs.PERFORMANCE_TOPIC, description = "Default: ${DEFAULT-VALUE}.")
  String performanceTopic;

  @Option(names = "--labelled-topic", defaultValue = "labelled-predictions",
      description = "Output: every prediction with its label, the data trainers pull (default: ${DEFAULT-VALUE}).")
  String labelledTopic;

  @Option(names = "--baselines-topic", defaultValue = "baselines",
      description = "Input: new reference profiles that replace a model's baseline without a restart (default: ${DEFAULT-VALUE}).")
  String baselinesTopic;

  @Option(names = "--dead-letter-topic", defaultValue = "dead-letters", description = "Default: ${DEFAULT-VALUE}.")
  String deadLetterTopic;

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
    return JobCommands.execute(new DriftDetectionMain(), "drift-detection", args, err);
  }

  @Override
  public Integer call() throws Exception {
    // Flink types stay out of this class, so that --help works outside a Flink installation too.
    return JobCommands.launch("driftline-drift-detection.jar", () -> DriftDetectionLauncher.run(this));
  }
}
