package dev.driftline.runtime.options;

import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.StartFrom;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every Driftline job takes: how to reach Kafka and Elasticsearch, and how to
 * checkpoint. A picocli mixin; it holds no Flink types, so {@code --help} works without Flink.
 */
public final class JobOptions {
  @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]", description = "Kafka brokers.")
  public String bootstrapServers;

  @Mixin public KafkaClientOptions kafkaClient = new KafkaClientOptions();

  @Option(names = "--es-url", paramLabel = "URL[,URL]", description = "Elasticsearch URLs (default: $DRIFTLINE_ES_URLS).")
  public String esUrls;

  @Mixin public ElasticsearchOptions es = new ElasticsearchOptions();

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
    return KafkaConfig.of(bootstrapServers, kafkaClient.properties());
  }

  /** {@code --start-from}, or an error naming the option. */
  public StartFrom startFrom() {
    try {
      return StartFrom.parse(startFrom);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--start-from: " + e.getMessage());
    }
  }

  /** Elasticsearch settings from the options, each falling back to its DRIFTLINE_ES_* variable. */
  public ElasticsearchConfig elasticsearch() {
    String urls = esUrls != null ? esUrls : System.getenv(ElasticsearchConfig.ENV_URLS);
    if (urls == null || urls.isBlank()) {
      throw new IllegalArgumentException("--es-url (or $" + ElasticsearchConfig.ENV_URLS + ") is required");
    }
    return es.config(urls);
  }
}
