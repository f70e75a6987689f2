package dev.driftline.jobs.driftdetection;


import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.services.OperatorUidsContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The drift job's operator uids are the committed list: a savepoint of this version restores every
 * operator's state (open windows, predictions waiting for labels) in the next one only if they stay.
 * Built with the production outputs (nothing is connected to) and a time-window and a count-window
 * model, one without labels and one with pca, so every optional branch of the pipeline is in the graph.
 */
class DriftOperatorUidsTest extends OperatorUidsContract {
  /**
   * The uids of the released layout; "Sink Committer: ..." are the committers Flink adds to a Kafka
   * sink (pending transactions), named after the sink's uid. Renaming one loses that operator's state.
   */
  static final Set<String> EXPECTED = Set.of(
      "drift/source/predictions", "drift/decode-predictions", "drift/timestamps-predictions",
      "drift/source/labels", "drift/decode-labels", "drift/timestamps-labels",
      "drift/source/baselines", "drift/decode-baselines",
      "drift/first-prediction", "drift/retired-first-prediction-input", "drift/label-join",
      "drift/labels-of-models-with-labels", "drift/labels-of-models-without-labels",
      "drift/dead-letter/labels-of-models-without-labels",
      "drift/fan-out-segments", "drift/count-window-models", "drift/count-windows", "drift/time-window-models",
      "drift/summarize-locally", "drift/summarize-windows", "drift/drift-evaluation",
      "drift/time-window-outcomes", "drift/fan-out-outcome-segments", "drift/count-performance-locally", "drift/performance-per-window",
      "drift/estimate-pairing", "drift/label-drift",
      "drift/dead-letter/unmatched-labels", "drift/dead-letter/duplicate-labels", "drift/dead-letter/duplicate-predictions",
      "drift/dead-letter/late-drift-partials", "drift/dead-letter/late-performance-partials", "drift/count-dead-letters",
      "drift/sink/drift-results/kafka", "Sink Committer: drift/sink/drift-results/kafka", "drift/sink/drift-results/elasticsearch",
      "drift/sink/performance/kafka", "Sink Committer: drift/sink/performance/kafka", "drift/sink/performance/elasticsearch",
      "drift/sink/labelled-predictions/kafka", "Sink Committer: drift/sink/labelled-predictions/kafka",
      "drift/sink/dead-letters", "drift/sink/dead-letters/elasticsearch");

  DriftOperatorUidsTest() {
    super("drift-detection", EXPECTED);
  }

  @Override
  protected StreamExecutionEnvironment built() throws Exception {
    ModelRegistry models = new ModelRegistry(List.of(
        MonitorSpecParser.parse("monitor.yaml", Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))),
        MonitorSpecParser.parse("monitor.yaml", Files.readString(Path.of("../../examples/low-traffic/monitor.yaml"))),
        // A model without labels adds the steps round the join.
        MonitorSpecParser.parse("monitor.yaml", Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
            .replace("model_id: credit-default", "model_id: credit-default-unlabelled")
            .replaceAll("(?m)^labels:\\n  max_delay:.*$", "labels: none")),
        // A model with pca adds the baselines as an input of the local summaries.
        MonitorSpecParser.parse("monitor.yaml", Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
            .replace("model_id: credit-default", "model_id: credit-default-pca") + "\npca: {}\n")));
    KafkaConfig kafka = KafkaConfig.of("localhost:9");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    new DriftDetectionJob(
        KafkaSources.rawBounded(kafka, List.of("predictions"), "drift"),
        KafkaSources.rawBounded(kafka, List.of("labels"), "drift"),
        KafkaSources.rawBounded(kafka, List.of("baselines"), "drift"),
        DriftOutputs.create(kafka, ElasticsearchConfig.of("http://localhost:9"), DriftOutputs.Topics.defaults(), models),
        models, Map.of()).build(env);
    return env;
  }
}
