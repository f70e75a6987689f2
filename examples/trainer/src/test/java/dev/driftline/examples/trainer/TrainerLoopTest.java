package dev.driftline.examples.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.connectors.elasticsearch.ElasticsearchConfig;
import dev.driftline.connectors.kafka.KafkaConfig;
import dev.driftline.connectors.kafka.KafkaSources;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.io.Json;
import dev.driftline.core.profile.ProfileBuilder;
import dev.driftline.core.profile.ReferenceProfile;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.DriftInjection;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.core.window.Baseline;
import dev.driftline.jobs.driftdetection.DriftDetectionJob;
import dev.driftline.jobs.driftdetection.DriftOutputs;
import dev.driftline.jobs.retraintrigger.RetrainTriggerJob;
import dev.driftline.jobs.retraintrigger.TriggerOutputs;
import dev.driftline.testing.ElasticsearchExtension;
import dev.driftline.testing.FlinkTestCluster;
import dev.driftline.testing.KafkaBroker;
import dev.driftline.testing.KafkaExtension;
import dev.driftline.testing.TopicReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The loop, closed on the real services: drift → trigger → trainer → new baseline → drift job uses it. */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class TrainerLoopTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();
  @TempDir Path dir;

  static final Instant START = Instant.parse("2026-07-01T00:00:00Z");

  @Test
  void theTrainersBaselineIsUsedByTheDriftJobWithoutARestartOfItsConfiguration() throws Exception {
    String yaml = Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
        .replaceAll("(?s)fields:.*?classification_threshold", "fields: {entity: entity_id}\nclassification_threshold")
        .replaceAll("(?s)window:.*?tests:", "window: {size: 10m, max_out_of_orderness: 30s}\n\ntests:")
        .replaceAll("(?s)policy:.*", "policy: {critical_features: [income], psi_hard_limit: 0.25, cooldown: 6h, rearm_after_windows: 2}\n");
    MonitorSpec spec = MonitorSpecParser.parse("loop.yaml", yaml);
    Path specFile = Files.writeString(dir.resolve("loop.yaml"), yaml);

    Path training = dir.resolve("training.csv");
    try (Writer w = Files.newBufferedWriter(training)) {
      List<String> names = spec.features().stream().map(FeatureSpec::name).toList();
      w.write(String.join(",", names) + "\n");
      for (TrafficEvent e : (Iterable<TrafficEvent>) TrafficGenerator.stream(
          TrafficConfig.of(spec, START.minus(Duration.ofDays(1)), Duration.ofHours(2), 1, 1))::iterator) {
        if (e.type() == TrafficEvent.Type.PREDICTION) {
          w.write(String.join(",", names.stream().map(n -> e.body().get("features").get(n).asText()).toList()) + "\n");
        }
      }
    }
    ReferenceProfile p0 = ProfileBuilder.build(spec, CsvTable.read(training), START.minus(Duration.ofDays(1)));

    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(2, "l-predictions", "l-labels", "l-drift", "l-performance", "l-labelled", "l-baselines",
        "l-triggers", "l-alerts", "l-dead");
    TrafficConfig traffic = TrafficConfig.of(spec, START, Duration.ofHours(4), 1, 2).withReference(p0)
        .withLabels(Duration.ofMinutes(5), 0.0)
        .withDrifts(List.of(DriftInjection.parse("income@1h:shift=1.5", spec, START, Duration.ofHours(4))));
    List<TrafficEvent> events = new ArrayList<>();
    new TrafficGenerator(traffic).forEachRemaining(events::add);
    Instant split = START.plus(Duration.ofHours(3));
    produce(broker, events.stream().filter(e -> e.ts() < split.toEpochMilli()).toList());

    ElasticsearchConfig es = ElasticsearchConfig.of(ElasticsearchExtension.url());
    DriftOutputs.installTemplates(es);
    TriggerOutputs.installTemplates(es);
    runDriftJob(broker, spec, p0, es);
    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    StreamExecutionEnvironment env = environment();
    new RetrainTriggerJob(KafkaSources.rawBounded(kafka, List.of("l-drift"), "l-trigger"),
        KafkaSources.rawBounded(kafka, List.of("l-performance"), "l-trigger"),
        TriggerOutputs.create(kafka, es, new TriggerOutputs.Topics("l-triggers", "l-alerts", "l-dead", "l-trigger")),
        new ModelRegistry(List.of(spec)), Duration.ofSeconds(5)).build(env);
    env.execute("loop: triggers");
    assertThat(TopicReader.readAll(broker.bootstrapServers(), "l-triggers", 1)).isNotEmpty();

    Trainer trainer = new Trainer();
    StringWriter printed = new StringWriter();
    trainer.out = new PrintWriter(printed, true);
    new picocli.CommandLine(trainer).execute("--bootstrap-servers", broker.bootstrapServers(), "--spec", specFile.toString(),
        "--trigger-topic", "l-triggers", "--labelled-topic", "l-labelled", "--baselines-topic", "l-baselines",
        "--work-dir", dir.resolve("trainer").toString(), "--once");
    assertThat(trainer.outcomes).as(printed.toString()).hasSize(1);
    Trainer.Outcome retrained = trainer.outcomes.get(0);
    assertThat(retrained.rows()).as("one 10-minute window at one prediction a second").isBetween(500, 600);
    assertThat(retrained.trainingAuc()).isBetween(0.6, 1.0);
    assertThat(printed.toString()).contains("published baseline " + retrained.profileId());

    Map<String, String> before = referencePerWindow(broker);
    assertThat(before.values()).containsOnly(p0.profileId());
    produce(broker, events.stream().filter(e -> e.ts() >= split.toEpochMilli()).toList());
    runDriftJob(broker, spec, p0, es);

    Map<String, String> after = referencePerWindow(broker);
    String lastWindow = ((TreeMap<String, String>) after).lastKey();
    assertThat(Instant.parse(lastWindow)).isAfterOrEqualTo(split);
    assertThat(after.get(lastWindow)).as("the newest window is measured against the trainer's baseline")
        .isEqualTo(retrained.profileId()).isNotEqualTo(p0.profileId());
  }

  private static StreamExecutionEnvironment environment() {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(1000);
    return env;
  }

  private static void runDriftJob(KafkaBroker broker, MonitorSpec spec, ReferenceProfile p0, ElasticsearchConfig es) throws Exception {
    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    ModelRegistry models = new ModelRegistry(List.of(spec));
    StreamExecutionEnvironment env = environment();
    new DriftDetectionJob(
        KafkaSources.rawBounded(kafka, List.of("l-predictions"), "l-drift-job"),
        KafkaSources.rawBounded(kafka, List.of("l-labels"), "l-drift-job"),
        KafkaSources.rawBounded(kafka, List.of("l-baselines"), "l-drift-job"),
        DriftOutputs.create(kafka, es, new DriftOutputs.Topics("l-drift", "l-performance", "l-labelled", "l-dead",
            DeliveryGuarantee.EXACTLY_ONCE, "l-drift-job"), models),
        models, Map.of(spec.modelId(), Baseline.fromProfile(p0, spec))).build(env);
    env.execute("loop: drift");
  }

  /** The reference each window's (whole-model) drift results used, by window start. */
  private static Map<String, String> referencePerWindow(KafkaBroker broker) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (var r : TopicReader.readAll(broker.bootstrapServers(), "l-drift", 1)) {
      JsonNode n = Json.mapper().readTree(r.value());
      if (n.get("segment").asText().equals("__all__")) {
        out.put(n.get("window_start").asText(), n.get("reference_id").asText());
      }
    }
    return out;
  }

  private static void produce(KafkaBroker broker, List<TrafficEvent> events) {
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      for (TrafficEvent e : events) {
        producer.send(new ProducerRecord<>(e.type() == TrafficEvent.Type.PREDICTION ? "l-predictions" : "l-labels",
            e.key(), e.json()));
      }
    }
  }
}
