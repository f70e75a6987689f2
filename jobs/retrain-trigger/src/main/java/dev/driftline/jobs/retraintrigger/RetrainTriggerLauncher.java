package dev.driftline.jobs.retraintrigger;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.topics.Topic;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.flink.JobEnvironments;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.runtime.kafka.KafkaTopics;
import dev.driftline.runtime.kafka.StartFrom;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Builds the real ends from validated arguments and runs {@link RetrainTriggerJob}. */
final class RetrainTriggerLauncher {
  private RetrainTriggerLauncher() {}

  static int run(RetrainTriggerCommand a) throws Exception {
    List<MonitorSpec> monitors = new ArrayList<>();
    for (Path file : a.specs) {
      monitors.add(MonitorSpecParser.load(file));
    }
    ModelRegistry models = new ModelRegistry(monitors);
    KafkaConfig kafka = a.job.kafka();
    StartFrom start = a.job.startFrom();
    ElasticsearchConfig es = a.job.elasticsearch();
    Duration idle = JobEnvironments.duration("--idle-timeout", a.idleTimeout);
    StreamExecutionEnvironment env = JobEnvironments.create(a.job.stateBackend, a.job.checkpointInterval, a.job.checkpointDir);
    TriggerOutputs.installTemplates(es);
    KafkaTopics.ensure(kafka, List.of(Topic.DRIFT_RESULTS.named(a.driftTopic), Topic.PERFORMANCE.named(a.performanceTopic),
        Topic.RETRAIN_TRIGGERS.named(a.triggerTopic), Topic.ALERTS.named(a.alertTopic), Topic.DEAD_LETTERS.named(a.deadLetterTopic)));
    new RetrainTriggerJob(
        KafkaSources.forJob(kafka, List.of(a.driftTopic), a.groupId, start, a.job.bounded),
        KafkaSources.forJob(kafka, List.of(a.performanceTopic), a.groupId, start, a.job.bounded),
        TriggerOutputs.create(kafka, es, new TriggerOutputs.Topics(a.triggerTopic, a.alertTopic, a.deadLetterTopic, a.groupId)),
        models, idle).build(env);
    env.execute("driftline retrain-trigger " + String.join(",", models.asMap().keySet()));
    return 0;
  }
}
