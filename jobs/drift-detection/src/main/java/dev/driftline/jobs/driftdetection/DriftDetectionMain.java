package dev.driftline.jobs.driftdetection;

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

  @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]", description = "Kafka brokers.")
  String bootstrapServers;

  @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
      description = "Kafka client property passed through (e.g. security.protocol=SASL_SSL); repeatable.")
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

  @Option(names = "--checkpoint-interval", defaultValue = "60s", paramLabel = "DURATION",
      description = "Checkpoint interval, e.g. 30s, 5m (default: ${DEFAULT-VALUE}).")
  String checkpointInterval;

  @Option(names = "--checkpoint-dir", paramLabel = "URI", description = "Checkpoint storage, e.g. file:///data/checkpoints or s3://... "
      + "(default: the cluster's execution.checkpointing.dir).")
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

  /**
   * Runs the command; bad arguments, specs, profiles and unreachable services are one line on
   * {@code err} and exit code 2.
   */
  static int execute(String[] args, PrintWriter err) {
    CommandLine cmd = new CommandLine(new DriftDetectionMain());
    cmd.setErr(err);
    cmd.setExecutionExceptionHandler((e, c, parsed) -> {
      if (e instanceof SpecException || e instanceof InputException || e instanceof IllegalArgumentException
          || e instanceof IllegalStateException) {
        c.getErr().println("drift-detection: " + e.getMessage());
        c.getErr().flush();
        return 2;
      }
      throw e;
    });
    return cmd.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    // Flink types stay out of this class, so that --help works outside a Flink installation too.
    try {
      return DriftDetectionLauncher.run(this);
    } catch (NoClassDefFoundError e) {
      if (String.valueOf(e.getMessage()).startsWith("org/apache/flink/")) {
        throw new IllegalArgumentException("Flink is not on the classpath (" + e.getMessage()
            + "); submit this jar to a cluster with: flink run " + "driftline-drift-detection.jar --spec ...");
      }
      throw e;
    }
  }
}
