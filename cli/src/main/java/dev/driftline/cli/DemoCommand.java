package dev.driftline.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.cli.html.HtmlReport;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.driftline.connectors.cli.ElasticsearchOptions;
import dev.driftline.connectors.elasticsearch.ElasticsearchConfig;
import dev.driftline.connectors.elasticsearch.IndexTemplates;
import dev.driftline.connectors.flink.JobEnvironments;
import dev.driftline.connectors.kafka.KafkaConfig;
import dev.driftline.connectors.kafka.KafkaSinks;
import dev.driftline.connectors.kafka.KafkaSources;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.io.InputException;
import dev.driftline.core.io.Json;
import dev.driftline.core.profile.ProfileBuilder;
import dev.driftline.core.profile.ReferenceProfile;
import dev.driftline.core.profile.ReferenceProfiles;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.DriftInjection;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.core.topics.NamedTopic;
import dev.driftline.core.topics.Topic;
import dev.driftline.core.topics.Topics;
import dev.driftline.core.window.Baseline;
import dev.driftline.examples.trainer.Trainer;
import dev.driftline.jobs.driftdetection.DriftDetectionJob;
import dev.driftline.jobs.driftdetection.DriftOutputs;
import dev.driftline.jobs.featurepipeline.FeatureOutputs;
import dev.driftline.jobs.featurepipeline.FeaturePipelineJob;
import dev.driftline.jobs.retraintrigger.RetrainTriggerJob;
import dev.driftline.jobs.retraintrigger.TriggerOutputs;
import dev.driftline.testing.CheckedProducer;
import dev.driftline.testing.ElasticsearchNode;
import dev.driftline.testing.KafkaBroker;
import dev.driftline.testing.PrometheusMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftline demo}: everything on the embedded default. Starts a real Kafka broker and
 * Elasticsearch node (or uses given ones), builds a baseline from generated training data, replays
 * synthetic traffic of two models — credit-default (a numeric feature shifts, a categorical mix
 * changes, a feature goes missing, which the data-quality checks find) and churn (performance decays, labels arrive late) — plus card transactions for the
 * feature store, runs the drift-detection, feature-pipeline and retrain-trigger jobs on a Flink
 * MiniCluster, lets an example trainer (Java, or with {@code --trainer python} the Python one)
 * answer the triggers, and prints what happens.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run all of Driftline on embedded real services with synthetic traffic and injected drift.")
final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--dir", defaultValue = "target/driftline-demo", description = "Working directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--hours", defaultValue = "3", description = "Event time the traffic covers (default: ${DEFAULT-VALUE}).")
  int hours;

  @Option(names = "--rate", defaultValue = "2", description = "Predictions per second of event time, per model (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of all generated data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Use this Kafka instead of starting one.")
  String kafkaAddress;

  @Option(names = "--es", paramLabel = "URL", description = "Use this Elasticsearch instead of starting one.")
  String esAddress;

  /** Credentials and CA of the --es given. */
  @CommandLine.Mixin ElasticsearchOptions esAuth = new ElasticsearchOptions();

  @Option(names = "--metrics-port", defaultValue = "0",
      description = "Port of the jobs' Prometheus /metrics while they run (default: 0, a free port found at start).")
  int metricsPort;

  @Option(names = "--keep-running", description = "Keep the started services up at the end, until Ctrl-C.")
  boolean keepRunning;

  /** For tests that query the demo's Elasticsearch after the run: services stay up until this file exists. */
  @Option(names = "--keep-running-until", hidden = true, paramLabel = "FILE")
  Path keepRunningUntil;

  /** Which example trainer answers the retrain triggers. */
  enum TrainerKind { java, python }

  @Option(names = "--trainer", defaultValue = "java", paramLabel = "java|python",
      description = "The example trainer that answers the triggers: java (examples/trainer) or python "
          + "(examples/python-trainer, needs " + PythonTrainer.PACKAGES + "; default: ${DEFAULT-VALUE}).")
  TrainerKind trainer;

  /** The interpreter of the Python trainer, found before anything starts. */
  private String python;

  static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
  /** Every topic of the catalogue (the demo's feature view is the example view, whose topics are the catalogue's defaults). */
  static final List<String> TOPICS = Topics.defaults().stream().map(NamedTopic::name).toList();
  /** The topics the jobs and the trainer write, which the printer follows and the summary counts. */
  static final List<String> OUTPUTS = Topics.defaults().stream().filter(t -> !t.topic().userCreated()).map(NamedTopic::name).toList();

  private PrintWriter out;
  private DemoConsole console;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    console = DemoConsole.of(out);
    if (hours < 2 || hours > 48) {
      throw new InputException("--hours: expected 2..48, got " + hours);
    }
    if (!(rate > 0 && rate <= 50)) {
      throw new InputException("--rate: expected a number in (0, 50], got " + rate);
    }
    if (trainer == TrainerKind.python) {
      python = PythonTrainer.interpreter().orElseThrow(() -> new InputException("--trainer python: " + PythonTrainer.missing()));
    }
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new InputException("--metrics-port: expected a port in 0..65535, got " + metricsPort);
    }
    if (metricsPort == 0) {
      metricsPort = PrometheusMetrics.freePort();
    }
    ElasticsearchConfig given = esAddress == null ? null : checkedElasticsearch();
    Files.createDirectories(dir);
    KafkaBroker broker = null;
    ElasticsearchNode node = null;
    Path logs = dir.resolve("logs").toAbsolutePath();
    try (DemoLogs ignored = DemoLogs.to(logs)) {
      step("logs of Flink, Kafka and Elasticsearch go to " + logs);
      if (kafkaAddress == null) {
        step("starting Kafka (KRaft, one node) ...");
        broker = KafkaBroker.start(logs.resolve("kafka"), 0);
      }
      if (esAddress == null) {
        step("starting Elasticsearch (one node; about 15 s) ...");
        node = ElasticsearchNode.start(logs);
      }
      KafkaConfig kafka = KafkaConfig.of(broker != null ? broker.bootstrapServers() : kafkaAddress);
      ElasticsearchConfig es = node != null ? ElasticsearchConfig.of(node.httpUrl()) : given;
      step("Kafka at " + kafka.bootstrapServers() + ", Elasticsearch at " + es.describeUrls());
      step("metrics (Prometheus) at " + PrometheusMetrics.url(metricsPort) + " while the jobs run");
      run(kafka, es);
      printLogs(logs, broker, node);
      if (keepRunningUntil != null) {
        out.println("services stay up until " + keepRunningUntil + " exists");
        out.flush();
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (!Files.exists(keepRunningUntil) && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
      } else if (keepRunning && (broker != null || node != null)) {
        out.println("services stay up; press Ctrl-C to stop them");
        out.flush();
        new java.util.concurrent.CountDownLatch(1).await();
      }
      return 0;
    } finally {
      if (node != null) {
        node.close();
      }
      if (broker != null) {
        broker.close();
      }
    }
  }

  private void printLogs(Path logs, KafkaBroker broker, ElasticsearchNode node) {
    out.println("  logs        " + logs.resolve(DemoLogs.FILE) + "  (Flink, the Kafka and Elasticsearch clients)");
    if (broker != null) {
      out.println("              " + broker.workDir().resolve("kafka.log") + "  (the Kafka broker)");
    }
    if (node != null) {
      out.println("              " + node.logFile() + "  (the Elasticsearch node)");
    }
    out.flush();
  }

  /** The --es settings, after Elasticsearch answered with them: a wrong password or CA stops the demo before anything starts. */
  private ElasticsearchConfig checkedElasticsearch() throws IOException {
    ElasticsearchConfig es;
    try {
      es = esAuth.config(esAddress);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    try (ElasticsearchClient client = es.newClient()) {
      IndexTemplates.checkReachable(client, es);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InputException(e.getMessage());
    }
    return es;
  }

  private void run(KafkaConfig kafka, ElasticsearchConfig es) throws Exception {
    MonitorSpec credit = MonitorSpecParser.parse("examples/credit-default/monitor.yaml (10m windows for the demo)",
        resource("/examples/credit-default/monitor.yaml").replaceAll("(?m)^  size: 1h$", "  size: 10m")
            .replaceAll("(?m)^  slide: 1h .*$", "  slide: 10m").replace("cooldown: 24h", "cooldown: 2h")
            .concat("data_quality: all\n"));
    MonitorSpec churn = MonitorSpecParser.parse("examples/churn/monitor.yaml", resource("/examples/churn/monitor.yaml"));
    FeatureView cards = FeatureViewParser.parse("examples/feature-views/card-transactions.yaml",
        resource("/examples/feature-views/card-transactions.yaml"));
    ModelRegistry models = new ModelRegistry(List.of(credit, churn));

    createTopics(kafka, cards);
    DriftOutputs.installTemplates(es);
    TriggerOutputs.installTemplates(es);
    FeatureOutputs.installTemplate(es);

    ReferenceProfile profile = baseline(credit, 100);
    step("baseline " + profile.profileId() + " built from " + profile.rows() + " generated training rows, with an "
        + profile.calibration().method() + " calibration of the score for estimated performance before labels");
    // churn's drift reference is the previous window; its profile is for the calibration only.
    ReferenceProfile churnProfile = baseline(churn, 101);
    step("churn calibration (" + churnProfile.calibration().method() + ") from " + churnProfile.rows() + " generated training rows");

    Duration span = Duration.ofHours(hours);
    Duration shiftAt = Duration.ofMinutes(hours * 60L / 3);
    String at = shiftAt.toMinutes() + "m";
    List<TrafficEvent> events = new ArrayList<>();
    new TrafficGenerator(TrafficConfig.of(credit, START, span, rate, seed).withReference(profile)
        .withLabels(Duration.ofMinutes(20), 0.05)
        .withDrifts(List.of(DriftInjection.parse("income@" + at + ":shift=1", credit, START, span),
            DriftInjection.parse("loan_purpose@" + at + ":mix", credit, START, span),
            DriftInjection.parse("credit_utilization@" + at + ":missing=0.6", credit, START, span)))).forEachRemaining(events::add);
    new TrafficGenerator(TrafficConfig.of(churn, START, span, rate, seed + 1).withLabels(Duration.ofMinutes(15), 0.02)
        .withDrifts(List.of(DriftInjection.parse("performance@" + at + ":decay=0.9", churn, START, span))))
        .forEachRemaining(events::add);
    int cardEvents = produce(kafka, events, cards, span);
    step(String.format(Locale.ROOT, "replayed %d predictions and labels of 2 models and %d card transactions over %d h of event time;"
        + " drift injected at +%s: credit-default income +1σ, loan_purpose mix and 60%% of credit_utilization missing, churn labels decouple from scores",
        events.size(), cardEvents, hours, at));
    TrafficEvent first = events.stream().filter(e -> e.type() == TrafficEvent.Type.PREDICTION
        && e.body().path("model_id").asText().equals(credit.modelId())).findFirst().orElseThrow();
    step("sent " + malformed(kafka, first) + " malformed records (a truncated prediction, a score of \"n/a\","
        + " a label of 7): the jobs set them aside as dead letters with their reasons");

    DemoPrinter printer = new DemoPrinter(kafka, console);
    printer.start();
    step("running drift-detection and feature-pipeline on a Flink MiniCluster ...");
    StreamExecutionEnvironment env = environment("drift");
    new DriftDetectionJob(
        KafkaSources.rawBounded(kafka, List.of(Topic.PREDICTIONS.defaultName()), "demo-drift"),
        KafkaSources.rawBounded(kafka, List.of(Topic.LABELS.defaultName()), "demo-drift"),
        KafkaSources.rawBounded(kafka, List.of(Topic.BASELINES.defaultName()), "demo-drift"),
        DriftOutputs.create(kafka, es, DriftOutputs.Topics.defaults(), models),
        models, Map.of(credit.modelId(), Baseline.fromProfile(profile, credit),
            churn.modelId(), Baseline.fromProfile(churnProfile, churn))).build(env);
    new FeaturePipelineJob(List.of(cards), v -> KafkaSources.rawBounded(kafka, List.of(v.topic()), "demo-features"),
        FeatureOutputs.create(kafka, es, new FeatureOutputs.Settings(Topic.DEAD_LETTERS.defaultName(), DeliveryGuarantee.EXACTLY_ONCE, "demo-features")))
        .build(env);
    env.execute("driftline demo: drift-detection + feature-pipeline");

    step("running retrain-trigger ...");
    StreamExecutionEnvironment triggerEnv = environment("trigger");
    new RetrainTriggerJob(
        KafkaSources.rawBounded(kafka, List.of(Topic.DRIFT_RESULTS.defaultName()), "demo-trigger"),
        KafkaSources.rawBounded(kafka, List.of(Topic.PERFORMANCE.defaultName()), "demo-trigger"),
        TriggerOutputs.create(kafka, es, new TriggerOutputs.Topics(Topic.RETRAIN_TRIGGERS.defaultName(), Topic.ALERTS.defaultName(),
            Topic.DEAD_LETTERS.defaultName(), "demo-trigger")),
        models, Duration.ofSeconds(5)).build(triggerEnv);
    triggerEnv.execute("driftline demo: retrain-trigger");
    printer.drain();
    console.endStatus();

    Path specDir = Files.createDirectories(dir.resolve("specs"));
    Path creditSpec = Files.writeString(specDir.resolve("credit-default.yaml"),
        resource("/examples/credit-default/monitor.yaml"));
    Path churnSpec = Files.writeString(specDir.resolve("churn.yaml"), resource("/examples/churn/monitor.yaml"));
    if (trainer == TrainerKind.python) {
      step("the Python example trainer (" + python + ", scikit-learn) answers the triggers ...");
      Path script = PythonTrainer.install(dir.resolve("python-trainer"));
      int exit = PythonTrainer.run(python, script, List.of("--bootstrap-servers", kafka.bootstrapServers(),
          "--spec", creditSpec.toString(), churnSpec.toString(), "--work-dir", dir.resolve("python-trainer").resolve("work").toString(),
          "--once", "--min-rows", "100", "--driftline", PythonTrainer.driftlineCommand()), line -> {
            console.raw(line);
          });
      if (exit != 0) {
        step("the Python trainer exited with " + exit + " (its lines are above)");
      }
    } else {
      step("the example trainer answers the triggers ...");
      Trainer javaTrainer = new Trainer();
      new CommandLine(javaTrainer).setOut(out).execute("--bootstrap-servers", kafka.bootstrapServers(),
          "--spec", creditSpec.toString(), churnSpec.toString(), "--work-dir", dir.resolve("trainer").toString(), "--once",
          "--min-rows", "100");
    }
    printer.drain();
    printer.stop();
    summarize(printer, kafka, es, cards);
  }

  private void summarize(DemoPrinter printer, KafkaConfig kafka, ElasticsearchConfig es, FeatureView cards) throws IOException {
    ObjectNode summary = Json.mapper().createObjectNode();
    ObjectNode counts = summary.putObject("records");
    for (String topic : OUTPUTS) {
      counts.put(topic, printer.count(topic));
    }
    // Drift results are upserted by id: label drift re-emits a window's __label__ results as late
    // labels arrive, so there are fewer documents than records.
    summary.putObject("documents").put("drift-results", printer.records("drift-results").stream()
        .map(r -> String.join("|", r.path("model_id").asText(), r.path("segment").asText(), r.path("feature").asText(),
            r.path("test").asText(), r.path("window_start").asText(), r.path("window_end").asText()))
        .distinct().count());
    ArrayNode triggers = summary.putArray("triggers");
    printer.records("retrain-triggers").forEach(t -> triggers.addObject()
        .put("trigger_id", t.path("trigger_id").asText()).put("model_id", t.path("model_id").asText())
        .put("segment", t.path("segment").asText()).put("window_end", t.path("training_to").asText())
        .set("reasons", t.path("reasons")));
    summary.put("drifted_windows", printer.driftedWindows());
    summary.put("seconds", console.seconds());
    Path summaryFile = dir.resolve("demo-summary.json");
    Files.write(summaryFile, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(summary));
    Path html = dir.resolve("report.html");
    HtmlReport.write(html, printer.records("drift-results"), printer.records("performance"),
        printer.records("retrain-triggers"), printer.records("alerts"));
    out.println();
    out.printf(Locale.ROOT, "done in %.0f s: %d drift results, %d performance updates, %d alerts, %d retrain triggers, %d new baselines, %d dead letters%n",
        console.seconds(), printer.count("drift-results"), printer.count("performance"), printer.count("alerts"),
        printer.count("retrain-triggers"), printer.count("baselines"), printer.count("dead-letters"));
    out.println("where to look:");
    out.println("  report      " + html.toAbsolutePath());
    out.println("  summary     " + summaryFile.toAbsolutePath());
    out.println("  Kafka       " + kafka.bootstrapServers() + "  topics " + String.join(", ", TOPICS));
    out.println("  indices     " + es.describeUrls() + "  driftline-drift-*, driftline-performance-*, driftline-alerts, " + cards.index());
    out.flush();
  }

  /** The generated training traffic of the start profiles: four hours, a week before the demo's traffic. */
  private static final Instant TRAINING_FROM = START.minus(Duration.ofDays(7));
  private static final Duration TRAINING_SPAN = Duration.ofHours(4);

  /** A profile of four hours of generated, labelled training traffic of {@code credit} (any model), seeded by {@code seedOffset}. */
  private ReferenceProfile baseline(MonitorSpec credit, long seedOffset) throws IOException {
    Path training = dir.resolve(credit.modelId() + "-training.csv");
    List<String> names = credit.features().stream().map(FeatureSpec::name).toList();
    // With each prediction's label (all of them, at once), so the profile has a calibration of the score.
    Map<String, List<String>> waiting = new java.util.HashMap<>();
    try (Writer w = Files.newBufferedWriter(training)) {
      w.write(String.join(",", names) + ",score,label\n");
      for (TrafficEvent e : (Iterable<TrafficEvent>) TrafficGenerator.stream(
          TrafficConfig.of(credit, TRAINING_FROM, TRAINING_SPAN, 2, seed + seedOffset)
              .withLabels(Duration.ZERO, 0.0))::iterator) {
        String id = e.body().get(credit.fields().predictionId()).asText();
        if (e.type() == TrafficEvent.Type.PREDICTION) {
          List<String> row = new ArrayList<>();
          names.forEach(n -> row.add(e.body().get("features").get(n).asText()));
          row.add(e.body().get("score").asText());
          waiting.put(id, row);
        } else {
          List<String> row = waiting.remove(id);
          row.add(e.body().get(credit.fields().label()).asText());
          w.write(String.join(",", row) + "\n");
        }
      }
    }
    // Stamped with the end of its training data, not the wall clock: the profile id is in every drift
    // result tested against it (reference_id), so two demos with the same seed write the same results.
    ReferenceProfile profile = ProfileBuilder.build(credit, CsvTable.read(training), TRAINING_FROM.plus(TRAINING_SPAN));
    ReferenceProfiles.write(profile, dir.resolve(credit.modelId() + "-profile.json"));
    return profile;
  }

  private int produce(KafkaConfig kafka, List<TrafficEvent> events, FeatureView cards, Duration span) {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    int cardEvents = 0;
    SplittableRandom random = new SplittableRandom(seed + 7);
    try (KafkaProducer<String, String> producer = new CheckedProducer<>(p)) {
      events.sort((a, b) -> Long.compare(a.ts(), b.ts()));
      for (TrafficEvent e : events) {
        String topic = e.type() == TrafficEvent.Type.PREDICTION ? Topic.PREDICTIONS.defaultName() : Topic.LABELS.defaultName();
        producer.send(new ProducerRecord<>(topic, null, null,
            e.key(), e.json(), KafkaSinks.headers(e.type() == TrafficEvent.Type.PREDICTION ? RecordSchema.PREDICTION : RecordSchema.LABEL)));
      }
      long end = START.plus(span).toEpochMilli();
      for (long ts = START.toEpochMilli(); ts < end; ts += 500 + random.nextInt(1000)) {
        String card = "card-" + random.nextInt(300);
        double amount = Math.round(Math.exp(3.5 + random.nextGaussian()) * 100) / 100.0;
        ObjectNode txn = Json.mapper().createObjectNode().put("card_id", card).put("ts", ts).put("amount", amount)
            .put("merchant_id", "m-" + random.nextInt(80));
        producer.send(new ProducerRecord<>(cards.topic(), null, null, card, txn.toString(), KafkaSinks.headers(RecordSchema.FEATURE_EVENT)));
        cardEvents++;
      }
    }
    return cardEvents;
  }

  /** Records no job can use, as real producers sometimes send; returns how many. */
  private static int malformed(KafkaConfig kafka, TrafficEvent prediction) throws Exception {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    List<ProducerRecord<String, String>> records = List.of(
        new ProducerRecord<>(Topic.PREDICTIONS.defaultName(), prediction.key(), "{\"model_id\":\"credit-default\",\"prediction_id\""),
        new ProducerRecord<>(Topic.PREDICTIONS.defaultName(), prediction.key(),
            prediction.json().replaceFirst("\"score\":[^,}]+", "\"score\":\"n/a\"")),
        new ProducerRecord<>(Topic.LABELS.defaultName(), prediction.key(), "{\"model_id\":\"credit-default\",\"prediction_id\":\"p-malformed\","
            + "\"ts\":" + prediction.ts() + ",\"label\":7}"));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (ProducerRecord<String, String> r : records) {
        producer.send(r).get();
      }
    }
    return records.size();
  }

  private void createTopics(KafkaConfig kafka, FeatureView cards) throws Exception {
    Properties p = kafka.clientProperties();
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    try (Admin admin = Admin.create(p)) {
      TreeSet<String> existing = new TreeSet<>(admin.listTopics().names().get());
      List<NewTopic> topics = new ArrayList<>();
      for (NamedTopic t : Topics.withViews(List.of(cards))) {
        if (!existing.contains(t.name())) {
          topics.add(new NewTopic(t.name(), 2, (short) 1).configs(t.configs()));
        }
      }
      if (!existing.isEmpty() && existing.contains(Topic.DRIFT_RESULTS.defaultName())) {
        throw new InputException("Kafka at " + kafka.bootstrapServers() + " already has Driftline topics from an earlier run;"
            + " the demo needs empty ones (omit --kafka to start a fresh broker)");
      }
      admin.createTopics(topics).all().get();
    }
  }

  private StreamExecutionEnvironment environment(String name) {
    Configuration conf = new Configuration();
    JobEnvironments.state(conf, "rocksdb");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints").resolve(name).toAbsolutePath().toUri().toString());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    // Each job's MiniCluster serves /metrics on the same port in turn (they run one after the other).
    PrometheusMetrics.enable(conf, Integer.toString(metricsPort));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(2000);
    return env;
  }

  private void step(String message) {
    console.line(message);
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new InputException("the example " + path + " is missing from this build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
