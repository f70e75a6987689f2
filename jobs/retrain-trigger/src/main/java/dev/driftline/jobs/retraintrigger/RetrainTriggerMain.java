package dev.driftline.jobs.retraintrigger;

import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.SpecException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink run driftline-retrain-trigger.jar --spec monitor.yaml --bootstrap-servers ... --es-url ...}.
 * No Flink types here, so that {@code --help} works anywhere; {@link RetrainTriggerLauncher} wires the job.
 */
@Command(name = "retrain-trigger", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Driftline retrain-trigger job: applies each model's policy to the drift job's results and emits "
        + "retrain triggers (exactly once) and alerts. Submit with flink run.")
public final class RetrainTriggerMain implements Callable<Integer> {
  @Option(names = "--spec", required = true, arity = "1..*", paramLabel = "FILE",
      description = "Monitor spec (YAML) with the model's policy; repeat for several models.")
  List<Path> specs;

  @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]", description = "Kafka brokers.")
  String bootstrapServers;

  @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "Kafka client property passed through; repeatable.")
  Map<String, String> kafkaProperties = new HashMap<>();

  @Option(names = "--es-url", paramLabel = "URL[,URL]", description = "Elasticsearch URLs (default: $DRIFTLINE_ES_URLS).")
  String esUrls;

  @Option(names = "--es-api-key", paramLabel = "KEY", description = "Elasticsearch API key (default: $DRIFTLINE_ES_API_KEY).")
  String esApiKey;

  @Option(names = "--es-username", paramLabel = "USER", description = "Elasticsearch user (default: $DRIFTLINE_ES_USERNAME).")
  String esUsername;

  @Option(names = "--es-password", paramLabel = "PASSWORD", description = "Elasticsearch password (default: $DRIFTLINE_ES_PASSWORD).")
  String esPassword;

  @Option(names = "--es-ca-cert", paramLabel = "PEM", description = "CA certificate for Elasticsearch TLS (default: $DRIFTLINE_ES_CA_CERT).")
  String esCaCert;

  @Option(names = "--drift-topic", defaultValue = "drift-results", description = "Input (default: ${DEFAULT-VALUE}).")
  String driftTopic;

  @Option(names = "--performance-topic", defaultValue = "performance", description = "Input (default: ${DEFAULT-VALUE}).")
  String performanceTopic;

  @Option(names = "--trigger-topic", defaultValue = TriggerOutputs.TRIGGER_TOPIC, description = "Output (default: ${DEFAULT-VALUE}).")
  String triggerTopic;

  @Option(names = "--alert-topic", defaultValue = TriggerOutputs.ALERT_TOPIC, description = "Output (default: ${DEFAULT-VALUE}).")
  String alertTopic;

  @Option(names = "--dead-letter-topic", defaultValue = "dead-letters", description = "Default: ${DEFAULT-VALUE}.")
  String deadLetterTopic;

  @Option(names = "--group-id", defaultValue = "driftline-retrain-trigger", description = "Kafka consumer group and transactional id prefix (default: ${DEFAULT-VALUE}).")
  String groupId;

  @Option(names = "--idle-timeout", defaultValue = "1m", paramLabel = "DURATION",
      description = "A silent input partition stops holding back event time after this (default: ${DEFAULT-VALUE}).")
  String idleTimeout;

  @Option(names = "--checkpoint-interval", defaultValue = "60s", paramLabel = "DURATION",
      description = "Checkpoint interval; triggers become visible to read_committed consumers at each checkpoint (default: ${DEFAULT-VALUE}).")
  String checkpointInterval;

  @Option(names = "--checkpoint-dir", paramLabel = "URI", description = "Checkpoint storage (default: the cluster's).")
  String checkpointDir;

  @Option(names = "--state-backend", defaultValue = "rocksdb", paramLabel = "rocksdb|hashmap", description = "Default: ${DEFAULT-VALUE}.")
  String stateBackend;

  @Option(names = "--bounded", description = "Stop at the offsets that are latest at start (replays and tests).")
  boolean bounded;

  public static void main(String[] args) {
    int code = execute(args, new PrintWriter(System.err, true));
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the command; bad input is one line on {@code err} and exit code 2. */
  static int execute(String[] args, PrintWriter err) {
    CommandLine cmd = new CommandLine(new RetrainTriggerMain());
    cmd.setErr(err);
    cmd.setExecutionExceptionHandler((e, c, parsed) -> {
      if (e instanceof SpecException || e instanceof InputException || e instanceof IllegalArgumentException
          || e instanceof IllegalStateException) {
        c.getErr().println("retrain-trigger: " + e.getMessage());
        c.getErr().flush();
        return 2;
      }
      throw e;
    });
    return cmd.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    try {
      return RetrainTriggerLauncher.run(this);
    } catch (NoClassDefFoundError e) {
      if (String.valueOf(e.getMessage()).startsWith("org/apache/flink/")) {
        throw new IllegalArgumentException("Flink is not on the classpath (" + e.getMessage()
            + "); submit this jar to a cluster with: flink run driftline-retrain-trigger.jar --spec ...");
      }
      throw e;
    }
  }
}
