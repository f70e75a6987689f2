package dev.driftline.jobs.featurepipeline;

import dev.driftline.connectors.elasticsearch.ElasticsearchConfig;
import dev.driftline.connectors.kafka.KafkaConfig;
import dev.driftline.connectors.kafka.KafkaSources;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.io.DurationText;
import dev.driftline.core.io.InputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Builds the real ends from validated arguments and runs {@link FeaturePipelineJob}. */
final class FeaturePipelineLauncher {
  private FeaturePipelineLauncher() {}

  static int run(FeaturePipelineMain a) throws Exception {
    List<FeatureView> views = new ArrayList<>();
    for (Path file : a.views) {
      views.add(FeatureViewParser.load(file));
    }
    KafkaConfig kafka = KafkaConfig.of(a.bootstrapServers, a.kafkaProperties);
    ElasticsearchConfig es = a.esUrls == null && System.getenv(ElasticsearchConfig.ENV_URLS) != null
        ? ElasticsearchConfig.fromEnvironment()
        : ElasticsearchConfig.fromArgs(require(a.esUrls, "--es-url (or $DRIFTLINE_ES_URLS)"),
            or(a.esApiKey, ElasticsearchConfig.ENV_API_KEY), or(a.esUsername, ElasticsearchConfig.ENV_USERNAME),
            or(a.esPassword, ElasticsearchConfig.ENV_PASSWORD), or(a.esCaCert, ElasticsearchConfig.ENV_CA_CERT));
    DeliveryGuarantee guarantee = switch (a.delivery) {
      case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
      case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
      default -> throw new IllegalArgumentException("--delivery: expected exactly-once or at-least-once, got " + a.delivery);
    };
    if (!a.stateBackend.equals("rocksdb") && !a.stateBackend.equals("hashmap")) {
      throw new IllegalArgumentException("--state-backend: expected rocksdb or hashmap, got " + a.stateBackend);
    }
    if (a.logPartitions < 1) {
      throw new IllegalArgumentException("--log-partitions: expected 1 or more, got " + a.logPartitions);
    }
    Duration interval = duration("--checkpoint-interval", a.checkpointInterval);
    Duration history = duration("--log-history", a.logHistory);

    FeatureOutputs.installTemplate(es);
    createLogTopics(kafka, views, a.logPartitions, history);
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, a.stateBackend);
    conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    if (a.checkpointDir != null) {
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, a.checkpointDir);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(interval.toMillis());
    new FeaturePipelineJob(views,
        v -> a.bounded ? KafkaSources.rawBounded(kafka, List.of(v.topic()), a.groupId + "-" + v.name())
            : KafkaSources.raw(kafka, List.of(v.topic()), a.groupId + "-" + v.name()),
        FeatureOutputs.create(kafka, es, new FeatureOutputs.Settings(a.deadLetterTopic, guarantee, a.groupId)))
        .build(env);
    env.execute("driftline feature-pipeline " + String.join(",", views.stream().map(FeatureView::name).toList()));
    return 0;
  }

  /** Creates each missing log topic compacted, keeping {@code history} of records uncompacted. */
  static void createLogTopics(KafkaConfig kafka, List<FeatureView> views, int partitions, Duration history) throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      for (FeatureView v : views) {
        NewTopic topic = new NewTopic(v.logTopic(), partitions, (short) -1).configs(Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Long.toString(history.toMillis())));
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + ": cannot create log topic "
                + v.logTopic() + ": " + e.getCause().getMessage(), e);
          }
        } catch (java.util.concurrent.TimeoutException e) {
          throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + ": no answer creating " + v.logTopic(), e);
        }
      }
    }
  }

  private static Duration duration(String option, String text) {
    try {
      return DurationText.parse(text);
    } catch (InputException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage());
    }
  }

  private static String or(String value, String env) {
    return value != null ? value : System.getenv(env);
  }

  private static String require(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
    return value;
  }
}
