package dev.driftline.jobs.retraintrigger;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.FailOnceSource;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trigger job on the real services: a scripted stream of drift results, run once straight
 * through and once with a failure in the middle; read_committed consumers see the same triggers.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class RetrainTriggerJobTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final int WINDOWS = 120;
  static MonitorSpec spec;
  static final List<DriftResult> results = new ArrayList<>();
  static final List<String> expectedTriggers = new ArrayList<>();

  @BeforeAll
  static void script() throws Exception {
    ScriptedDrift script = ScriptedDrift.of(WINDOWS);
    spec = script.spec();
    results.addAll(script.results());
    expectedTriggers.addAll(script.triggers());
    assertThat(expectedTriggers).as("the script must exercise several triggers").hasSizeGreaterThanOrEqualTo(4);

    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(1, "rt-drift", "rt-performance");
    broker.createTopics(2, "rt-triggers-a", "rt-triggers-b", "rt-alerts-a", "rt-alerts-b", "rt-dead");
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      for (DriftResult r : results) {
        producer.send(new ProducerRecord<>("rt-drift", r.modelId(), new String(Json.bytes(r))));
      }
      producer.send(new ProducerRecord<>("rt-drift", "m", "{\"model_id\": \"m\", \"oops\": 1}"));
    }
    TriggerOutputs.installTemplates(ElasticsearchConfig.of(ElasticsearchExtension.url()));
  }

  static void run(String suffix, boolean fail) throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, fail ? "fixed-delay" : "none");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(300);
    var drift = KafkaSources.rawBounded(kafka, List.of("rt-drift"), "rt-" + suffix);
    new RetrainTriggerJob(
        fail ? new FailOnceSource<>(drift, WINDOWS * 8 / 2, 4, "trigger-job") : drift,
        KafkaSources.rawBounded(kafka, List.of("rt-performance"), "rt-" + suffix),
        TriggerOutputs.create(kafka, ElasticsearchConfig.of(ElasticsearchExtension.url()),
            new TriggerOutputs.Topics("rt-triggers-" + suffix, "rt-alerts-" + suffix, "rt-dead", "rt-" + suffix)),
        new ModelRegistry(List.of(spec)), Duration.ofSeconds(5)).build(env);
    env.execute("retrain trigger " + suffix);
  }

  static List<String> triggerIds(String topic) throws Exception {
    List<String> ids = new ArrayList<>();
    for (var r : TopicReader.readAll(KafkaExtension.broker().bootstrapServers(), topic, expectedTriggers.size())) {
      ids.add(Json.mapper().readTree(new String(r.value())).get("trigger_id").asText());
    }
    return ids;
  }

  @Test
  void aRunRestoredFromACheckpointYieldsTheSameTriggersExactlyOnce() throws Exception {
    run("a", false);
    run("b", true);

    assertThat(FailOnceSource.failed("trigger-job")).as("the second run failed and restored").isTrue();
    List<String> uninterrupted = triggerIds("rt-triggers-a");
    List<String> restored = triggerIds("rt-triggers-b");
    assertThat(uninterrupted).containsExactlyElementsOf(expectedTriggers);
    assertThat(restored).containsExactlyInAnyOrderElementsOf(uninterrupted).doesNotHaveDuplicates();

    JsonNode first = Json.mapper().readTree(new String(
        TopicReader.readAll(KafkaExtension.broker().bootstrapServers(), "rt-triggers-a", 1).get(0).value()));
    assertThat(first.get("model_id").asText()).isEqualTo("m");
    assertThat(first.get("reasons").get(0).asText()).isNotEmpty();
    assertThat(first.get("evidence")).isNotEmpty();
    assertThat(first.get("policy_version").asText()).isEqualTo(spec.specHash().substring(0, 12));
    assertThat(first.get("training_from").asText()).isLessThan(first.get("training_to").asText());

    // Every trigger has its critical alert, in Kafka and in Elasticsearch.
    List<JsonNode> alerts = new ArrayList<>();
    for (var r : TopicReader.readAll(KafkaExtension.broker().bootstrapServers(), "rt-alerts-a", expectedTriggers.size())) {
      alerts.add(Json.mapper().readTree(new String(r.value())));
    }
    assertThat(alerts.stream().filter(a -> a.get("severity").asText().equals("critical")).map(a -> a.get("trigger_id").asText()))
        .containsExactlyInAnyOrderElementsOf(expectedTriggers);
    assertThat(alerts.stream().filter(a -> a.get("severity").asText().equals("warning"))).isNotEmpty();
    try (ElasticsearchClient es = ElasticsearchConfig.of(ElasticsearchExtension.url()).newClient()) {
      es.indices().refresh(r -> r.index("driftline-alerts"));
      var hits = es.search(s -> s.index("driftline-alerts").size(1000).query(q -> q.term(t -> t.field("severity").value("critical"))),
          ObjectNode.class).hits().hits();
      assertThat(hits.stream().map(h -> h.source().get("trigger_id").asText()).distinct())
          .containsExactlyInAnyOrderElementsOf(expectedTriggers);
    }
    assertThat(TopicReader.readAll(KafkaExtension.broker().bootstrapServers(), "rt-dead", 2)).isNotEmpty()
        .allSatisfy(r -> assertThat(new String(r.value())).contains("not a drift result"));
  }
}
