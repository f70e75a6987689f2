package dev.driftline.connectors.cli;

import dev.driftline.connectors.elasticsearch.ElasticsearchConfig;
import dev.driftline.connectors.flink.JobEnvironments;
import dev.driftline.connectors.kafka.KafkaConfig;
import dev.driftline.connectors.kafka.StartFrom;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every Driftline job takes: how to reach Kafka and Elasticsearch, and how to
 * checkpoint. A picocli mixin; it holds no Flink types, so {@code --help} works without Flink.
 */
public final class JobOptions {
  @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]", description = "Kafka brokers.")
  public String bootstrapServers;

  @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
      description = "Kafka client property passed through (e.g. security.protocol=SASL_SSL); repeatable.")
  public Map<String, String> kafkaProperties = new HashMap<>();

  @Option(names = "--es-url", paramLabel = "URL[,URL]", description = "Elasticsearch URLs (default: $DRIFTLINE_ES_URLS).")
  public String esUrls;

  @Option(names = "--es-api-key", paramLabel = "KEY", description = "Elasticsearch API key (default: $DRIFTLINE_ES_API_KEY).")
  public String esApiKey;

  @Option(names = "--es-username", paramLabel = "USER", description = "Elasticsearch user (default: $DRIFTLINE_ES_USERNAME).")
  public String esUsername;

  @Option(names = "--es-password", paramLabel = "PASSWORD", description = "Elasticsearch password (default: $DRIFTLINE_ES_PASSWORD).")
  public String esPassword;

  @Option(names = "--es-ca-cert", paramLabel = "PEM", description = "CA certificate for Elasticsearch TLS (default: $DRIFTLINE_ES_CA_CERT).")
  public String esCaCert;

  @Option(names = "--checkpoint-interval", defaultValue = "60s", paramLabel = "DURATION",
      description = "Checkpoint interval, e.g. 30s, 5m (default: ${DEFAULT-VALUE}); exactly-once outputs become visible at checkpoints.")
  public String checkpointInterval;

  @Option(names = "--checkpoint-dir", paramLabel = "URI", description = "Checkpoint storage, e.g. file:///data/checkpoints or s3://... "
      + "(default: the cluster's execution.checkpointing.dir).")
  public String checkpointDir;

  @Option(names = "--state-backend", defaultValue = "rocksdb", paramLabel = "rocksdb|hashmap", description = "Default: ${DEFAULT-VALUE}.")
  public String stateBackend;

  @Option(names = "--bounded", description = "Stop at the offsets that are latest at start (backfills, replays and tests).")
  public boolean bounded;

  @Option(names = "--start-from", defaultValue = "committed", paramLabel = "committed|earliest|latest|TIME",
      description = "Where a job started without a savepoint reads its input topics: the group's committed offsets "
          + "(earliest where none), the beginning, only new records, or from a time (2026-05-04T00:00:00Z or epoch "
          + "millis). A job restored from a savepoint or checkpoint continues from its state. Default: ${DEFAULT-VALUE}.")
  public String startFrom;

  public KafkaConfig kafka() {
    return KafkaConfig.of(bootstrapServers, kafkaProperties);
  }

  /** {@code --start-from}, or an error naming the option. */
  public StartFrom startFrom() {
    try {
      return StartFrom.parse(startFrom);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--start-from: " + e.getMessage());
    }
  }

  public ElasticsearchConfig elasticsearch() {
    return JobEnvironments.elasticsearch(esUrls, esApiKey, esUsername, esPassword, esCaCert);
  }
}
