package dev.driftline.jobs.featurepipeline;

import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.topics.Topic;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.flink.JobEnvironments;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.runtime.kafka.StartFrom;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Builds the real ends from validated arguments and runs {@link FeaturePipelineJob}. */
final class FeaturePipelineLauncher {
  private FeaturePipelineLauncher() {}

  static int run(FeaturePipelineCommand a) throws Exception {
    List<FeatureView> views = new ArrayList<>();
    for (Path file : a.views) {
      views.add(FeatureViewParser.load(file));
    }
    KafkaConfig kafka = a.job.kafka();
    ElasticsearchConfig es = a.job.elasticsearch();
    DeliveryGuarantee guarantee = switch (a.delivery) {
      case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
      case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
      default -> throw new IllegalArgumentException("--delivery: expected exactly-once or at-least-once, got " + a.delivery);
    };
    if (a.logPartitions < 1) {
      throw new IllegalArgumentException("--log-partitions: expected 1 or more, got " + a.logPartitions);
    }
    Duration history = JobEnvironments.duration("--log-history", a.logHistory);
    StartFrom start = a.job.startFrom();

    FeatureOutputs.installTemplate(es);
    createLogTopics(kafka, views, a.logPartitions, history);
    StreamExecutionEnvironment env = JobEnvironments.create(a.job.stateBackend, a.job.checkpointInterval, a.job.checkpointDir);
    new FeaturePipelineJob(views,
        v -> KafkaSources.forJob(kafka, List.of(v.topic()), a.groupId + "-" + v.name(), start, a.job.bounded),
        FeatureOutputs.create(kafka, es, new FeatureOutputs.Settings(a.deadLetterTopic, guarantee, a.groupId)))
        .build(env);
    env.execute("driftline feature-pipeline " + String.join(",", views.stream().map(FeatureView::name).toList()));
    return 0;
  }

  /**
   * Creates each missing log topic with the catalogue's configs ({@link Topic#FEATURES}: compacted),
   * keeping {@code history} of records uncompacted.
   */
  static void createLogTopics(KafkaConfig kafka, List<FeatureView> views, int partitions, Duration history) throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      for (FeatureView v : views) {
        NewTopic topic = new NewTopic(v.logTopic(), partitions, (short) -1).configs(Topic.FEATURES.named(v.logTopic())
            .withConfig(Topic.MIN_COMPACTION_LAG_MS, Long.toString(history.toMillis())).configs());
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
}
