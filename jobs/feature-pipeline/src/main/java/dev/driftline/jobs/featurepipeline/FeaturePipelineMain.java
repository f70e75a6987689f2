package dev.driftline.jobs.featurepipeline;

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
 * {@code flink run driftline-feature-pipeline.jar --view card-transactions.yaml --bootstrap-servers ... --es-url ...}:
 * parses and validates the arguments and the views, then {@link FeaturePipelineLauncher} creates
 * the log topics, installs the index template, wires the real Kafka and Elasticsearch ends to
 * {@link FeaturePipelineJob} and runs it.
 */
@Command(name = "feature-pipeline", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Driftline feature pipeline: per-entity sliding-window features from raw events into the feature "
        + "store (log topic features.<view> and index driftline-features-<view>). Submit with flink run.")
public final class FeaturePipelineMain implements Callable<Integer> {
  @Option(names = "--view", required = true, paramLabel = "FILE",
      description = "Feature view (YAML); repeat the option for several views.")
  List<Path> views;

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

  @Option(names = "--dead-letter-topic", defaultValue = "dead-letters",
      description = "Topic of undecodable and late events (default: ${DEFAULT-VALUE}).")
  String deadLetterTopic;

  @Option(names = "--group-id", defaultValue = "driftline-feature-pipeline", description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
  String groupId;

  @Option(names = "--log-partitions", defaultValue = "6", paramLabel = "N",
      description = "Partitions of a log topic features.<view> the job creates when it is missing (default: ${DEFAULT-VALUE}).")
  int logPartitions;

  @Option(names = "--log-history", defaultValue = "30d", paramLabel = "DURATION",
      description = "min.compaction.lag.ms of a log topic the job creates: records younger than this are all kept for "
          + "point-in-time reads; older ones are compacted to the latest per entity (default: ${DEFAULT-VALUE}).")
  String logHistory;

  @Option(names = "--delivery", defaultValue = "exactly-once", paramLabel = "exactly-once|at-least-once",
      description = "Guarantee of the log topics (default: ${DEFAULT-VALUE}; exactly-once needs read_committed consumers).")
  String delivery;

  @Option(names = "--checkpoint-interval", defaultValue = "60s", paramLabel = "DURATION",
      description = "Checkpoint interval, e.g. 30s, 5m (default: ${DEFAULT-VALUE}); exactly-once records become visible at checkpoints.")
  String checkpointInterval;

  @Option(names = "--checkpoint-dir", paramLabel = "URI", description = "Checkpoint storage, e.g. file:///data/checkpoints or s3://... "
      + "(default: the cluster's execution.checkpointing.dir).")
  String checkpointDir;

  @Option(names = "--state-backend", defaultValue = "rocksdb", paramLabel = "rocksdb|hashmap", description = "Default: ${DEFAULT-VALUE}.")
  String stateBackend;

  @Option(names = "--bounded", description = "Stop at the offsets that are latest at start (backfills, replays and tests).")
  boolean bounded;

  public static void main(String[] args) {
    int code = execute(args, new PrintWriter(System.err, true));
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the command; bad arguments, views and unreachable services are one line on {@code err} and exit code 2. */
  static int execute(String[] args, PrintWriter err) {
    CommandLine cmd = new CommandLine(new FeaturePipelineMain());
    cmd.setErr(err);
    cmd.setExecutionExceptionHandler((e, c, parsed) -> {
      if (e instanceof SpecException || e instanceof InputException || e instanceof IllegalArgumentException
          || e instanceof IllegalStateException) {
        c.getErr().println("feature-pipeline: " + e.getMessage());
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
      return FeaturePipelineLauncher.run(this);
    } catch (NoClassDefFoundError e) {
      if (String.valueOf(e.getMessage()).startsWith("org/apache/flink/")) {
        throw new IllegalArgumentException("Flink is not on the classpath (" + e.getMessage()
            + "); submit this jar to a cluster with: flink run driftline-feature-pipeline.jar --view ...");
      }
      throw e;
    }
  }
}
