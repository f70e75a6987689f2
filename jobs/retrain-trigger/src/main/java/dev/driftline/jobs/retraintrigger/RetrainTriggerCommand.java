package dev.driftline.jobs.retraintrigger;

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
 * {@code flink run driftline-retrain-trigger.jar --spec monitor.yaml --bootstrap-servers ... --es-url ...}.
 * No Flink types here, so that {@code --help} works anywhere; {@link RetrainTriggerLauncher} wires the job.
 */
@Command(name = "retrain-trigger", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Driftline retrain-trigger job: applies each model's policy to the drift job's results and emits "
        + "retrain triggers (exactly once) and alerts. Submit with flink run.")
public final class RetrainTriggerCommand implements Callable<Integer> {
  @Option(names = "--spec", required = true, arity = "1..*", paramLabel = "FILE",
      description = "Monitor spec (YAML) with the model's policy; repeat for several models.")
  List<Path> specs;

  @CommandLine.Mixin JobOptions job = new JobOptions();


  // Defaults from the topic catalogue (field values, which picocli shows as ${DEFAULT-VALUE}).
  @Option(names = "--drift-topic", description = "Input (default: ${DEFAULT-VALUE}).")
  String driftTopic = Topic.DRIFT_RESULTS.defaultName();

  @Option(names = "--performance-topic", description = "Input (default: ${DEFAULT-VALUE}).")
  String performanceTopic = Topic.PERFORMANCE.defaultName();

  @Option(names = "--trigger-topic", description = "Output (default: ${DEFAULT-VALUE}).")
  String triggerTopic = Topic.RETRAIN_TRIGGERS.defaultName();

  @Option(names = "--alert-topic", description = "Output (default: ${DEFAULT-VALUE}).")
  String alertTopic = Topic.ALERTS.defaultName();

  @Option(names = "--dead-letter-topic", description = "Default: ${DEFAULT-VALUE}.")
  String deadLetterTopic = Topic.DEAD_LETTERS.defaultName();

  @Option(names = "--group-id", defaultValue = "driftline-retrain-trigger", description = "Kafka consumer group and transactional id prefix (default: ${DEFAULT-VALUE}).")
  String groupId;

  @Option(names = "--idle-timeout", defaultValue = "1m", paramLabel = "DURATION",
      description = "A silent input partition stops holding back event time after this (default: ${DEFAULT-VALUE}).")
  String idleTimeout;

  public static void main(String[] args) {
    int code = execute(args, new PrintWriter(System.err, true));
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the command; bad input is one line on {@code err} and exit code 2. */
  static int execute(String[] args, PrintWriter err) {
    return JobCommands.execute(new RetrainTriggerCommand(), "retrain-trigger", args, err);
  }

  @Override
  public Integer call() throws Exception {
    // Flink types stay out of this class, so that --help works outside a Flink installation too.
    return JobCommands.launch("driftline-retrain-trigger.jar", () -> RetrainTriggerLauncher.run(this));
  }
}
