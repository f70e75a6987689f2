package dev.driftline.jobs.featurepipeline;


import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.services.OperatorUidsContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The feature pipeline's operator uids are the committed list; its per-view uids
 * ({@code source-}, {@code decode-}, {@code features-<view>}) predate the others and stay as they
 * were. Built with the production outputs (nothing is connected to).
 */
class FeatureOperatorUidsTest extends OperatorUidsContract {
  /**
   * The uids of the released layout; "Sink Committer: ..." are the committers Flink adds to a Kafka
   * sink (pending transactions), named after the sink's uid. Renaming one loses that operator's state.
   */
  static final Set<String> EXPECTED = Set.of(
      "source-card_transactions", "decode-card_transactions", "features-card_transactions",
      "features/sink/card_transactions/kafka", "Sink Committer: features/sink/card_transactions/kafka", "features/sink/card_transactions/elasticsearch",
      "features/count-dead-letters", "features/sink/dead-letters");

  FeatureOperatorUidsTest() {
    super("feature-pipeline", EXPECTED);
  }

  @Override
  protected StreamExecutionEnvironment built() throws Exception {
    var view = FeatureViewParser.parse("card-transactions.yaml",
        Files.readString(Path.of("../../examples/feature-views/card-transactions.yaml")));
    KafkaConfig kafka = KafkaConfig.of("localhost:9");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    new FeaturePipelineJob(List.of(view), v -> KafkaSources.rawBounded(kafka, List.of(v.topic()), "features"),
        FeatureOutputs.create(kafka, ElasticsearchConfig.of("http://localhost:9"),
            new FeatureOutputs.Settings("dead-letters", DeliveryGuarantee.EXACTLY_ONCE, "features"))).build(env);
    return env;
  }
}
