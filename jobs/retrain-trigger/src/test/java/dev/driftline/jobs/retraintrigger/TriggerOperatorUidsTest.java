package dev.driftline.jobs.retraintrigger;


import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.topics.Topic;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.services.OperatorUidsContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The trigger job's operator uids are the committed list: the policy's K-of-N history, detectors
 * and cooldowns restore from a savepoint of this version only if they stay. Built with the
 * production outputs (nothing is connected to).
 */
class TriggerOperatorUidsTest extends OperatorUidsContract {
  /**
   * The uids of the released layout; "Sink Committer: ..." are the committers Flink adds to a Kafka
   * sink (pending transactions), named after the sink's uid. Renaming one loses that operator's state.
   */
  static final Set<String> EXPECTED = Set.of(
      "trigger/source/drift-results", "trigger/decode-drift-results", "trigger/timestamps-drift-results",
      "trigger/source/performance", "trigger/decode-performance", "trigger/realized-performance", "trigger/timestamps-performance",
      "trigger/policy", "trigger/count-dead-letters",
      "trigger/sink/retrain-triggers/kafka", "Sink Committer: trigger/sink/retrain-triggers/kafka",
      "trigger/sink/alerts/kafka", "Sink Committer: trigger/sink/alerts/kafka", "trigger/sink/alerts/elasticsearch",
      "trigger/sink/dead-letters");

  TriggerOperatorUidsTest() {
    super("retrain-trigger", EXPECTED);
  }

  @Override
  protected StreamExecutionEnvironment built() throws Exception {
    ModelRegistry models = new ModelRegistry(List.of(
        MonitorSpecParser.parse("monitor.yaml", Files.readString(Path.of("../../examples/credit-default/monitor.yaml")))));
    KafkaConfig kafka = KafkaConfig.of("localhost:9");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    new RetrainTriggerJob(
        KafkaSources.rawBounded(kafka, List.of("drift-results"), "trigger"),
        KafkaSources.rawBounded(kafka, List.of("performance"), "trigger"),
        TriggerOutputs.create(kafka, ElasticsearchConfig.of("http://localhost:9"),
            new TriggerOutputs.Topics(Topic.RETRAIN_TRIGGERS.defaultName(), Topic.ALERTS.defaultName(), "dead-letters", "trigger")),
        models, Duration.ofMinutes(1)).build(env);
    return env;
  }
}
