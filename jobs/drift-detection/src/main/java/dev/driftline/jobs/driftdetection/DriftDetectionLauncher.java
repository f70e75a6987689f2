package dev.driftline.jobs.driftdetection;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.spec.ReferenceSpec;
import dev.driftline.core.spec.SpecException;
import dev.driftline.core.topics.Topic;
import dev.driftline.jobs.driftdetection.operators.BaselineDecoder;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.flink.JobEnvironments;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.runtime.kafka.KafkaTopics;
import dev.driftline.runtime.kafka.StartFrom;
import dev.driftline.runtime.kafka.TopicSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the real ends from validated arguments and runs {@link DriftDetectionJob}. */
final class DriftDetectionLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(DriftDetectionLauncher.class);
  private DriftDetectionLauncher() {}

  static int run(DriftDetectionCommand a) throws Exception {
    List<MonitorSpec> monitors = new ArrayList<>();
    for (Path file : a.specs) {
      monitors.add(MonitorSpecParser.load(file));
    }
    ModelRegistry models = new ModelRegistry(monitors);
    Map<String, Baseline> profiles = loadProfiles(monitors);
    KafkaConfig kafka = a.job.kafka();
    StartFrom start = a.job.startFrom();
    ElasticsearchConfig es = a.job.elasticsearch();
    DeliveryGuarantee guarantee = switch (a.delivery) {
      case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
      case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
      default -> throw new IllegalArgumentException("--delivery: expected exactly-once or at-least-once, got " + a.delivery);
    };
    StreamExecutionEnvironment env = JobEnvironments.create(a.job.stateBackend, a.job.checkpointInterval, a.job.checkpointDir);
    KafkaTopics.ensure(kafka, List.of(Topic.PREDICTIONS.named(a.predictionsTopic), Topic.LABELS.named(a.labelsTopic),
        Topic.BASELINES.named(a.baselinesTopic), Topic.DRIFT_RESULTS.named(a.driftTopic), Topic.PERFORMANCE.named(a.performanceTopic),
        Topic.LABELLED_PREDICTIONS.named(a.labelledTopic), Topic.DEAD_LETTERS.named(a.deadLetterTopic)));
    // Read from the beginning as a table, baselines must never expire: refuse a topic that is not compacted.
    KafkaTopics.requireCompacted(kafka, a.baselinesTopic, "--baselines-topic");
    profiles.putAll(published(kafka, a.baselinesTopic, models));
    DriftOutputs.installTemplates(es);
    new DriftDetectionJob(
        KafkaSources.forJob(kafka, List.of(a.predictionsTopic), a.groupId, start, a.job.bounded),
        KafkaSources.forJob(kafka, List.of(a.labelsTopic), a.groupId, start, a.job.bounded),
        // Baselines are a compacted table, not a stream: a fresh job reads all of them whatever --start-from says.
        KafkaSources.forJob(kafka, List.of(a.baselinesTopic), a.groupId, StartFrom.EARLIEST, a.job.bounded),
        DriftOutputs.create(kafka, es, new DriftOutputs.Topics(a.driftTopic, a.performanceTopic, a.labelledTopic,
            a.deadLetterTopic, guarantee, a.groupId), models),
        models, profiles).build(env);
    env.execute("driftline drift-detection " + String.join(",", models.asMap().keySet()));
    return 0;
  }

  /**
   * The newest usable profile of each model on the baselines topic now. The job reads the topic too,
   * but as a stream beside the predictions: started with what the topic holds, it tests its first
   * windows against the same baseline however soon they close, as an uninterrupted run would have.
   * Undecodable profiles are left to the job, which makes them dead letters.
   */
  static Map<String, Baseline> published(KafkaConfig kafka, String topic, ModelRegistry models) {
    BaselineDecoder decoder = new BaselineDecoder(models);
    Map<String, BaselineDecoder.PublishedBaseline> newest = new HashMap<>();
    for (var r : TopicSnapshot.read(kafka, topic, Duration.ofSeconds(60))) {
      Decoded<BaselineDecoder.PublishedBaseline> d = r.value() == null ? null : decoder.decode(r.value());
      if (d != null && d.isOk()) {
        newest.merge(d.value().modelId(), d.value(), (held, next) -> next.replaces(held.createdAt()) ? next : held);
      }
    }
    Map<String, Baseline> out = new HashMap<>();
    newest.forEach((model, b) -> {
      BaselineFile profile = BaselineFiles.read("baseline " + b.profileId(), new ByteArrayInputStream(b.json()));
      out.put(model, Baseline.fromProfile(profile, models.get(model)));
      LOG.info("model {}: baseline {} from the baselines topic at start", model, b.profileId());
    });
    return out;
  }

  /**
   * The profile baseline of every model whose reference is a profile, and the calibration profile of
   * every model with a window reference and a {@code performance_estimation.profile}, read from any
   * Flink file system.
   */
  static Map<String, Baseline> loadProfiles(List<MonitorSpec> monitors) throws IOException {
    Map<String, Baseline> out = new HashMap<>();
    for (MonitorSpec spec : monitors) {
      boolean reference = spec.reference().source() == ReferenceSpec.Source.PROFILE;
      if (!reference && spec.estimation().profile() == null) {
        continue;
      }
      String location = reference ? spec.reference().path() : spec.estimation().profile();
      org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(location);
      BaselineFile profile;
      try (InputStream in = FileSystem.get(path.toUri()).open(path)) {
        profile = BaselineFiles.read(location, in);
      } catch (java.io.FileNotFoundException e) {
        throw new InputException(location + ": no such profile (" + (reference ? "reference.path" : "performance_estimation.profile")
            + " of model " + spec.modelId()
            + "); build it with driftline baseline build");
      }
      BaselineFiles.checkCovers(profile, location, spec);
      BaselineFiles.checkLabel(profile, location, spec);
      out.put(spec.modelId(), Baseline.fromProfile(profile, spec));
      String noEstimates = BaselineFiles.noEstimationReason(profile, spec);
      if (noEstimates != null) {
        LOG.warn("{} ({})", noEstimates, location);
      }
    }
    return out;
  }
}
