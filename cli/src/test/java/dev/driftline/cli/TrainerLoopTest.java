package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.DriftInjection;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.examples.trainer.Trainer;
import dev.driftline.jobs.driftdetection.DriftDetectionJob;
import dev.driftline.jobs.driftdetection.DriftOutputs;
import dev.driftline.jobs.retraintrigger.RetrainTriggerJob;
import dev.driftline.jobs.retraintrigger.TriggerOutputs;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.RequiredTool;
import dev.driftline.services.TopicReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop, closed on the real services for both example trainers: drift → trigger → trainer →
 * new baseline → the drift job uses it without a restart of its configuration. One loop serves two
 * copies of a model, {@code loop-java} answered by the Java trainer (in-process) and
 * {@code loop-python} by the Python one (a child process publishing through
 * {@code driftline baseline build --publish}), so the jobs run once for both; each test checks one
 * trainer's part.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class TrainerLoopTest {
  @TempDir static Path dir;

  static final Instant START = Instant.parse("2026-07-01T00:00:00Z");
  static final Instant SPLIT = START.plus(Duration.ofHours(3));
  static final String JAVA = "loop-java";
  static final String PYTHON = "loop-python";
  /** examples/ticket-routing (multiclass) on 10-minute windows, also answered by the Python trainer. */
  static final String TICKETS = "loop-tickets";
  static final Pattern PUBLISHED = Pattern.compile("training AUC (\\d\\.\\d{3}); published baseline (\\S+)");

  static KafkaBroker broker;
  static Map<String, Path> specFiles = new HashMap<>();
  static Map<String, BaselineFile> initial = new HashMap<>();
  /** The reference of each window before the trainers ran, by model. */
  static Map<String, TreeMap<String, String>> before = new HashMap<>();
  /** What each trainer printed on its first run over the triggers. */
  static Map<String, String> printed = new HashMap<>();
  /** The Python interpreter with the trainer's packages, when this machine has one. */
  static Optional<String> python;

  @BeforeAll
  static void closeTheLoopForBothTrainers() throws Exception {
    String template = Files.readString(Path.of("../examples/credit-default/monitor.yaml"))
        .replaceAll("(?s)fields:.*?classification_threshold", "fields: {entity: entity_id}\nclassification_threshold")
        .replaceAll("(?s)window:.*?tests:", "window: {size: 10m, max_out_of_orderness: 30s}\n\ntests:")
        .replaceAll("(?s)policy:.*", "policy: {critical_features: [income], psi_hard_limit: 0.25, cooldown: 6h, rearm_after_windows: 2}\n");
    List<MonitorSpec> specs = new ArrayList<>();
    for (String model : List.of(JAVA, PYTHON)) {
      String yaml = template.replaceFirst("(?m)^model_id: .*$", "model_id: " + model);
      specs.add(MonitorSpecParser.parse(model + ".yaml", yaml));
      specFiles.put(model, Files.writeString(dir.resolve(model + ".yaml"), yaml));
    }
    String tickets = Files.readString(Path.of("../examples/ticket-routing/monitor.yaml"))
        .replaceFirst("(?m)^model_id: .*$", "model_id: " + TICKETS).replaceFirst("(?m)^  size: 1h$", "  size: 10m")
        // Whole-model triggers only, as the other models': a segment's window has too few rows to retrain on.
        .replace("fields: {entity: customer_id, segment: channel}", "fields: {entity: customer_id}");
    specs.add(MonitorSpecParser.parse(TICKETS + ".yaml", tickets));
    specFiles.put(TICKETS, Files.writeString(dir.resolve(TICKETS + ".yaml"), tickets));

    broker = KafkaExtension.broker();
    broker.createTopics(2, "loop-predictions", "loop-labels", "loop-drift", "loop-performance", "loop-labelled",
        "loop-baselines", "loop-triggers", "loop-alerts", "loop-dead");
    List<TrafficEvent> events = new ArrayList<>();
    long seed = 1;
    for (MonitorSpec spec : specs) {
      Path training = dir.resolve(spec.modelId() + "-training.csv");
      try (Writer w = Files.newBufferedWriter(training)) {
        List<String> names = spec.features().stream().map(FeatureSpec::name).toList();
        w.write(String.join(",", names) + "\n");
        for (TrafficEvent e : (Iterable<TrafficEvent>) TrafficGenerator.stream(
            TrafficConfig.of(spec, START.minus(Duration.ofDays(1)), Duration.ofHours(2), 1, seed))::iterator) {
          if (e.type() == TrafficEvent.Type.PREDICTION) {
            w.write(String.join(",", names.stream().map(n -> e.body().get("features").get(n).asText()).toList()) + "\n");
          }
        }
      }
      BaselineFile p0 = BaselineBuilder.build(spec, CsvTable.read(training), START.minus(Duration.ofDays(1)));
      initial.put(spec.modelId(), p0);
      // Another seed per model: prediction ids are unique per seed, and the drift job drops repeated ones.
      new TrafficGenerator(TrafficConfig.of(spec, START, Duration.ofHours(4), 1, seed + 1).withReference(p0)
          .withLabels(Duration.ofMinutes(5), 0.0)
          .withDrifts(List.of(DriftInjection.parse(spec.modelId().equals(TICKETS) ? "performance@1h:decay=0.9" : "income@1h:shift=1.5",
              spec, START, Duration.ofHours(4)))))
          .forEachRemaining(events::add);
      seed += 2;
    }
    events.sort(Comparator.comparingLong(TrafficEvent::ts));
    produce(events.stream().filter(e -> e.ts() < SPLIT.toEpochMilli()).toList());

    ElasticsearchConfig es = ElasticsearchConfig.of(ElasticsearchExtension.url());
    DriftOutputs.installTemplates(es);
    TriggerOutputs.installTemplates(es);
    ModelRegistry models = new ModelRegistry(specs);
    runDriftJob(models, es);
    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    StreamExecutionEnvironment env = environment("trigger");
    new RetrainTriggerJob(KafkaSources.rawBounded(kafka, List.of("loop-drift"), "loop-trigger"),
        KafkaSources.rawBounded(kafka, List.of("loop-performance"), "loop-trigger"),
        TriggerOutputs.create(kafka, es, new TriggerOutputs.Topics("loop-triggers", "loop-alerts", "loop-dead", "loop-trigger")),
        models, Duration.ofSeconds(5)).build(env);
    env.execute("loop: triggers");

    for (String model : List.of(JAVA, PYTHON)) {
      before.put(model, referencePerWindow(model));
    }
    printed.put(JAVA, runJavaTrainer("loop-java-trainer", "java-trainer"));
    python = PythonTrainer.interpreter();
    if (python.isPresent()) {
      printed.put(PYTHON, runPythonTrainer("loop-python-trainer", "python-trainer"));
    }

    produce(events.stream().filter(e -> e.ts() >= SPLIT.toEpochMilli()).toList());
    runDriftJob(models, es);
  }

  @Test
  void theJavaTrainersBaselinesAreUsedByTheDriftJobAndEachTriggerIsAnsweredOnce() throws Exception {
    checkLoop(JAVA);
    checkAnsweredOnce(JAVA, () -> runJavaTrainer("loop-java-trainer", "java-trainer"),
        () -> runJavaTrainer("loop-java-trainer-redelivered", "java-trainer-again"));
  }

  @Test
  void thePythonTrainersBaselinesAreUsedByTheDriftJobAndEachTriggerIsAnsweredOnce() throws Exception {
    RequiredTool.require(python.isPresent(), "Python trainer not checked: " + PythonTrainer.missing());
    checkLoop(PYTHON);
    checkAnsweredOnce(PYTHON, () -> runPythonTrainer("loop-python-trainer", "python-trainer"),
        () -> runPythonTrainer("loop-python-trainer-redelivered", "python-trainer-again"));
  }

  /**
   * The Python trainer answers a multiclass model's triggers (its macro F1 falls once its labels
   * stop following its scores) with a multinomial model on the labels' class names: one baseline per
   * trigger whose label profile is, class by class, the labelled predictions of the trigger's range,
   * and the newest window measured against it.
   */
  @Test
  void thePythonTrainerRetrainsAMulticlassModelOnTheClassNamesOfItsLabelledRows() throws Exception {
    RequiredTool.require(python.isPresent(), "Python trainer not checked: " + PythonTrainer.missing());
    String out = printed.get(PYTHON);
    List<JsonNode> triggers = records("loop-triggers", TICKETS);
    assertThat(triggers).as("the trigger job fired for %s", TICKETS).isNotEmpty();
    List<JsonNode> baselines = records("loop-baselines", TICKETS);
    assertThat(baselines.stream().map(b -> b.get("trigger_id").asText()).toList()).as(out)
        .containsExactlyInAnyOrderElementsOf(triggers.stream().map(t -> t.get("trigger_id").asText()).toList());
    List<JsonNode> labelled = records("loop-labelled", TICKETS);
    for (JsonNode t : triggers) {
      JsonNode b = baselines.stream().filter(x -> x.get("trigger_id").equals(t.get("trigger_id"))).findFirst().orElseThrow();
      long from = Instant.parse(t.get("training_from").asText()).toEpochMilli();
      long to = Instant.parse(t.get("training_to").asText()).toEpochMilli();
      Map<String, Long> classes = new TreeMap<>();
      labelled.stream().filter(r -> r.get("ts").asLong() >= from && r.get("ts").asLong() < to)
          .forEach(r -> classes.merge(r.get("label_class").asText(), 1L, Long::sum));
      long rows = classes.values().stream().mapToLong(Long::longValue).sum();
      assertThat(rows).as("10-minute windows at one prediction a second, every one labelled").isGreaterThanOrEqualTo(500);
      assertThat(b.get("rows").asLong()).isEqualTo(rows);
      Map<String, Long> profiled = new TreeMap<>();
      b.get("label").get("categories").fields().forEachRemaining(c -> profiled.put(c.getKey(), c.getValue().asLong()));
      assertThat(profiled).as(b.get("label").toString()).isEqualTo(classes);
      assertThat(classes.keySet()).containsExactlyInAnyOrder("billing", "technical", "account", "other");
      assertThat(b.get("score")).as("no single score column for a multiclass model").isNull();
      Matcher line = Pattern.compile(Pattern.quote(t.get("trigger_id").asText()) + ": retrained on " + rows
          + " labelled rows .*training macro F1 (\\d\\.\\d{3}), accuracy (\\d\\.\\d{3}) over 4 classes; published baseline "
          + Pattern.quote(b.get("profile_id").asText())).matcher(out);
      assertThat(line.find()).as(out).isTrue();
      assertThat(Double.parseDouble(line.group(1))).as("training macro F1").isBetween(0.1, 1.0);
      assertThat(Double.parseDouble(line.group(2))).as("training accuracy").isBetween(0.25, 1.0);
    }
    String newest = baselines.stream().max(Comparator.comparing(b -> b.get("created_at").asText())).orElseThrow()
        .get("profile_id").asText();
    TreeMap<String, String> reference = referencePerWindow(TICKETS);
    assertThat(Instant.parse(reference.lastKey())).isAfterOrEqualTo(SPLIT);
    assertThat(reference.lastEntry().getValue()).as("the newest window is measured against the trainer's baseline")
        .isEqualTo(newest).isNotEqualTo(initial.get(TICKETS).profileId());
  }

  /**
   * One baseline per trigger of the model, naming the trigger it answers, trained on the
   * trigger's window, and the drift job's newest window measured against it.
   */
  private static void checkLoop(String model) throws Exception {
    String out = printed.get(model);
    List<String> triggers = records("loop-triggers", model).stream().map(t -> t.get("trigger_id").asText()).toList();
    assertThat(triggers).as("the trigger job fired for %s", model).isNotEmpty();
    List<JsonNode> baselines = records("loop-baselines", model);
    assertThat(baselines).as(out).hasSameSizeAs(triggers);
    assertThat(baselines.stream().map(b -> b.get("trigger_id").asText()).toList())
        .containsExactlyInAnyOrderElementsOf(triggers);
    for (JsonNode b : baselines) {
      assertThat(b.get("model_id").asText()).isEqualTo(model);
      assertThat(b.get("rows").asLong()).as("one 10-minute window at one prediction a second").isBetween(500L, 600L);
      assertThat(b.get("score")).as("profiled with the new model's scores").isNotNull();
      Matcher line = Pattern.compile(Pattern.quote(b.get("trigger_id").asText()) + ": retrained on "
          + b.get("rows").asLong() + " labelled rows .*" + PUBLISHED.pattern()).matcher(out);
      assertThat(line.find()).as(out).isTrue();
      assertThat(Double.parseDouble(line.group(1))).as("training AUC").isBetween(0.6, 1.0);
      assertThat(line.group(2)).isEqualTo(b.get("profile_id").asText());
    }

    assertThat(before.get(model).values()).containsOnly(initial.get(model).profileId());
    TreeMap<String, String> reference = referencePerWindow(model);
    String newest = baselines.stream().max(Comparator.comparing(b -> b.get("created_at").asText())).orElseThrow()
        .get("profile_id").asText();
    assertThat(Instant.parse(reference.lastKey())).isAfterOrEqualTo(SPLIT);
    assertThat(reference.lastEntry().getValue()).as("the newest window is measured against the trainer's baseline")
        .isEqualTo(newest).isNotEqualTo(initial.get(model).profileId());
  }

  /**
   * Run again with the same consumer group (its commits: no trigger is read again), then with a new
   * group and work directory (every trigger re-delivered: each found answered on the baselines topic):
   * neither publishes anything.
   */
  private static void checkAnsweredOnce(String model, TrainerRun sameGroup, TrainerRun redelivered) throws Exception {
    int published = TopicReader.readAll(broker.bootstrapServers(), "loop-baselines", 1).size();
    List<JsonNode> baselines = records("loop-baselines", model);

    String again = sameGroup.run();
    assertThat(again).as("the group's commits cover every trigger").doesNotContain("retrained", "already answered");

    String redeliveredOut = redelivered.run();
    for (JsonNode b : baselines) {
      assertThat(redeliveredOut).contains(b.get("trigger_id").asText() + ": already answered by baseline "
          + b.get("profile_id").asText() + "; nothing to do");
    }
    assertThat(redeliveredOut).doesNotContain("retrained");
    assertThat(TopicReader.readAll(broker.bootstrapServers(), "loop-baselines", published)).hasSize(published);
  }

  @FunctionalInterface
  interface TrainerRun {
    String run() throws Exception;
  }

  private static String runJavaTrainer(String group, String workDir) {
    StringWriter out = new StringWriter();
    int exit = new picocli.CommandLine(new Trainer()).setOut(new PrintWriter(out, true)).execute("--bootstrap-servers", broker.bootstrapServers(),
        "--spec", specFiles.get(JAVA).toString(), "--trigger-topic", "loop-triggers", "--labelled-topic", "loop-labelled",
        "--baselines-topic", "loop-baselines", "--group-id", group, "--work-dir", dir.resolve(workDir).toString(), "--once");
    assertThat(exit).as(out.toString()).isZero();
    return out.toString();
  }

  private static String runPythonTrainer(String group, String workDir) throws Exception {
    Path script = PythonTrainer.install(dir.resolve("python"));
    StringBuilder out = new StringBuilder();
    int exit = PythonTrainer.run(python.orElseThrow(), script, List.of("--bootstrap-servers", broker.bootstrapServers(),
        "--spec", specFiles.get(PYTHON).toString(), specFiles.get(TICKETS).toString(), "--trigger-topic", "loop-triggers", "--labelled-topic", "loop-labelled",
        "--baselines-topic", "loop-baselines", "--group-id", group, "--work-dir", dir.resolve(workDir).toString(), "--once",
        "--driftline", PythonTrainer.driftlineCommand()), line -> out.append(line).append('\n'));
    assertThat(exit).as(out.toString()).isZero();
    return out.toString();
  }

  private static StreamExecutionEnvironment environment(String name) {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints").resolve(name).toUri().toString());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(1000);
    return env;
  }

  /** The drift job over what the topics hold now (from its group's committed offsets), both models at their initial profile. */
  private static void runDriftJob(ModelRegistry models, ElasticsearchConfig es) throws Exception {
    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    Map<String, Baseline> baselines = new HashMap<>();
    initial.forEach((model, p0) -> baselines.put(model, Baseline.fromProfile(p0, models.get(model))));
    StreamExecutionEnvironment env = environment("drift");
    new DriftDetectionJob(
        KafkaSources.rawBounded(kafka, List.of("loop-predictions"), "loop-drift-job"),
        KafkaSources.rawBounded(kafka, List.of("loop-labels"), "loop-drift-job"),
        KafkaSources.rawBounded(kafka, List.of("loop-baselines"), "loop-drift-job"),
        DriftOutputs.create(kafka, es, new DriftOutputs.Topics("loop-drift", "loop-performance", "loop-labelled", "loop-dead",
            DeliveryGuarantee.EXACTLY_ONCE, "loop-drift-job"), models),
        models, baselines).build(env);
    env.execute("loop: drift");
  }

  /** The committed records of {@code topic} whose model_id is {@code model}, as JSON. */
  private static List<JsonNode> records(String topic, String model) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (var r : TopicReader.readAll(broker.bootstrapServers(), topic, 1)) {
      JsonNode n = Json.mapper().readTree(r.value());
      if (n.path("model_id").asText().equals(model)) {
        out.add(n);
      }
    }
    return out;
  }

  /** The reference each window's (whole-model) drift results of {@code model} used, by window start. */
  private static TreeMap<String, String> referencePerWindow(String model) throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    for (JsonNode n : records("loop-drift", model)) {
      if (n.get("segment").asText().equals("__all__")) {
        out.put(n.get("window_start").asText(), n.get("reference_id").asText());
      }
    }
    return out;
  }

  private static void produce(List<TrafficEvent> events) {
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      for (TrafficEvent e : events) {
        producer.send(new ProducerRecord<>(e.type() == TrafficEvent.Type.PREDICTION ? "loop-predictions" : "loop-labels",
            e.key(), e.json()));
      }
    }
  }
}
