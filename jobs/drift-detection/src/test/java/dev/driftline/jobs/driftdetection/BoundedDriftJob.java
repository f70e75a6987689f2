package dev.driftline.jobs.driftdetection;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.runtime.kafka.StartFrom;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The drift job run once, restarts off, over bounded topics of the test broker named by a prefix:
 * {@code <prefix>-predictions}, {@code -labels} and {@code -baselines} in, {@code -drift},
 * {@code -performance}, {@code -labelled} and {@code -dead-letters} out, plus the Elasticsearch
 * indices. The job tests that check one feature on generated traffic share it; the metrics test
 * starts it with unbounded sources instead, so that it is still running when its metrics are read.
 */
final class BoundedDriftJob {
  private BoundedDriftJob() {}

  /** Creates the job's topics and sends each generated prediction and label to its topic. */
  static void produce(String prefix, List<TrafficEvent> events) {
    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(2, prefix + "-predictions", prefix + "-labels", prefix + "-drift", prefix + "-performance",
        prefix + "-dead-letters", prefix + "-labelled", prefix + "-baselines");
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      for (TrafficEvent e : events) {
        producer.send(new ProducerRecord<>(prefix + (e.type() == TrafficEvent.Type.PREDICTION ? "-predictions" : "-labels"),
            e.key(), e.json()));
      }
    }
  }

  /** Runs the job to the end of its input; returns the Elasticsearch it wrote to. */
  static ElasticsearchConfig run(String prefix, MonitorSpec spec, Map<String, Baseline> profiles) throws Exception {
    StreamExecutionEnvironment env = build(prefix, spec, profiles, true, new Configuration());
    env.execute(prefix + " drift job");
    return ElasticsearchConfig.of(ElasticsearchExtension.url());
  }

  /**
   * Starts the same job with unbounded sources and returns at once: it runs (and its metrics stay
   * registered) until cancelled with {@link JobClient#cancel()}.
   *
   * @param conf settings of the local cluster, e.g. a metrics reporter (called from {@code @BeforeAll},
   *     the job runs on a cluster of its own, not on the test class's MiniClusterExtension)
   */
  static JobClient start(String prefix, MonitorSpec spec, Map<String, Baseline> profiles, Configuration conf)
      throws Exception {
    return build(prefix, spec, profiles, false, conf).executeAsync(prefix + " drift job");
  }

  private static StreamExecutionEnvironment build(String prefix, MonitorSpec spec, Map<String, Baseline> profiles,
      boolean bounded, Configuration conf) {
    KafkaBroker broker = KafkaExtension.broker();
    ElasticsearchConfig esConfig = ElasticsearchConfig.of(ElasticsearchExtension.url());
    DriftOutputs.installTemplates(esConfig);
    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(2_000);
    ModelRegistry models = new ModelRegistry(List.of(spec));
    String group = prefix + "-job";
    new DriftDetectionJob(
        KafkaSources.forJob(kafka, List.of(prefix + "-predictions"), group, StartFrom.COMMITTED, bounded),
        KafkaSources.forJob(kafka, List.of(prefix + "-labels"), group, StartFrom.COMMITTED, bounded),
        KafkaSources.forJob(kafka, List.of(prefix + "-baselines"), group, StartFrom.COMMITTED, bounded),
        DriftOutputs.create(kafka, esConfig, new DriftOutputs.Topics(prefix + "-drift", prefix + "-performance",
            prefix + "-labelled", prefix + "-dead-letters", DeliveryGuarantee.EXACTLY_ONCE, group), models),
        models, profiles).build(env);
    return env;
  }
}
