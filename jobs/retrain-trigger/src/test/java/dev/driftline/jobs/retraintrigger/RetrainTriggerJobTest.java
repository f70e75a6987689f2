package dev.driftline.jobs.retraintrigger;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.connectors.elasticsearch.ElasticsearchConfig;
import dev.driftline.connectors.kafka.KafkaConfig;
import dev.driftline.connectors.kafka.KafkaSources;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.trigger.PolicyEngine;
import dev.driftline.core.trigger.PolicyState;
import dev.driftline.core.trigger.WindowDriftSummary;
import dev.driftline.core.window.DriftResult;
import dev.driftline.testing.ElasticsearchExtension;
import dev.driftline.testing.FailOnceSource;
import dev.driftline.testing.FlinkTestCluster;
import dev.driftline.testing.KafkaBroker;
import dev.driftline.testing.KafkaExtension;
import dev.driftline.testing.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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

  static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  static final int WINDOWS = 120;
  static MonitorSpec spec;
  static final List<DriftResult> results = new ArrayList<>();
  static final List<String> expectedTriggers = new ArrayList<>();

  @BeforeAll
  static void script() throws Exception {
    spec = MonitorSpecParser.parse("m.yaml", String.join("\n",
        "model_id: m", "task: binary_classification",
        "features: [{name: a, type: numeric}, {name: b, type: numeric}, {name: c, type: numeric}, {name: d, type: categorical}]",
        "reference: {source: previous_window}", "window: {size: 1h}",
        "policy: {dataset_drift: {share: 0.5, k: 2, n: 3}, psi_hard_limit: 0.25, warn_psi: 0.1, cooldown: 3h, rearm_after_windows: 2}"));
    // Episodes of drift (2 or 3 features drifted, sometimes a PSI above the limit) between calm stretches.
    SplittableRandom random = new SplittableRandom(11);
    PolicyState state = new PolicyState();
    for (int i = 0; i < WINDOWS; i++) {
      boolean episode = (i / 6) % 3 == 2;
      String start = T0.plus(Duration.ofHours(i)).toString();
      String end = T0.plus(Duration.ofHours(i + 1)).toString();
      WindowDriftSummary w = new WindowDriftSummary(start, end);
      String[] names = {"a", "b", "c", "d"};
      for (int f = 0; f < 4; f++) {
        boolean drift = episode && random.nextDouble() < 0.7;
        double psi = drift ? 0.05 + 0.3 * random.nextDouble() : 0.02 * random.nextDouble();
        DriftResult ks = new DriftResult("m", DriftResult.ALL_SEGMENTS, names[f], f == 3 ? "categorical" : "numeric",
            f == 3 ? "chi2" : "ks", 0.2, drift ? 1e-5 : 0.4, drift ? 1e-5 : 0.4, 0.01, drift, "exact", null, null,
            start, end, 5000, 300, "ref", end);
        DriftResult p = new DriftResult("m", DriftResult.ALL_SEGMENTS, names[f], f == 3 ? "categorical" : "numeric",
            "psi", psi, null, null, 0.25, psi > 0.25, "binned", "x", null, start, end, 5000, 300, "ref", end);
        results.add(ks);
        results.add(p);
        w.add(ks);
        w.add(p);
      }
      var d = PolicyEngine.onDriftWindow(spec, DriftResult.ALL_SEGMENTS, state, w, 0);
      if (d.trigger() != null) {
        expectedTriggers.add(d.trigger().triggerId());
      }
    }
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
