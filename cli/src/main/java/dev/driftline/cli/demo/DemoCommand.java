package dev.driftline.cli.demo;

import dev.driftline.cli.PythonTrainer;
import dev.driftline.core.io.InputException;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.options.ElasticsearchOptions;
import dev.driftline.services.PrometheusMetrics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code driftline demo}: everything on the embedded default. Starts a real Kafka broker and
 * Elasticsearch node (or uses given ones), builds a baseline from generated training data, replays
 * synthetic traffic of three models — credit-default (a numeric feature shifts, a categorical mix
 * changes, a feature goes missing, which the data-quality checks find), churn (performance decays, labels arrive late) and
 * ticket-routing (a multiclass classifier whose labels decouple from its class scores) — plus card transactions for the
 * feature store, runs the drift-detection, feature-pipeline and retrain-trigger jobs on a Flink
 * MiniCluster, lets an example trainer (Java, or with {@code --trainer python} the Python one)
 * answer the triggers, and prints what happens.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run all of Driftline on embedded real services with synthetic traffic and injected drift.")
public final class DemoCommand implements Callable<Integer> {
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
    ElasticsearchConfig given = esAddress == null ? null : DemoServices.checkedElasticsearch(esAuth, esAddress);
    Files.createDirectories(dir);
    Path logs = dir.resolve("logs").toAbsolutePath();
    try (DemoLogs ignored = DemoLogs.to(logs)) {
      console.line("logs of Flink, Kafka and Elasticsearch go to " + logs);
      try (DemoServices services = DemoServices.start(kafkaAddress, given, logs, console)) {
        console.line("Kafka at " + services.kafka().bootstrapServers() + ", Elasticsearch at " + services.es().describeUrls());
        console.line("metrics (Prometheus) at " + PrometheusMetrics.url(metricsPort) + " while the jobs run");
        run(services);
        services.printLogs(out, logs);
        holdServices(services);
        return 0;
      }
    }
  }

  private void run(DemoServices services) throws Exception {
    KafkaConfig kafka = services.kafka();
    DemoSpecs specs = DemoSpecs.load();
    services.createTopics(specs.cards());
    DemoJobs jobs = new DemoJobs(kafka, services.es(), specs, dir, metricsPort, console);
    jobs.installTemplates();

    DemoTraffic traffic = new DemoTraffic(dir, seed, hours, rate, console);
    DemoTraffic.Profiles profiles = traffic.baselines(specs);
    traffic.replay(kafka, specs, profiles);

    DemoRecords records = new DemoRecords(new DemoPrinter(console::line));
    DemoOutputs outputs = new DemoOutputs(kafka, console, records);
    outputs.start();
    jobs.runDriftAndFeatures(profiles);
    jobs.runTrigger();
    outputs.drain();
    console.endStatus();

    if (trainer == TrainerKind.python) {
      jobs.runPythonTrainer(python);
    } else {
      jobs.runJavaTrainer(out);
    }
    outputs.drain();
    outputs.stop();
    DemoSummary.write(dir, records, console, out, kafka, services.es(), specs.cards());
  }

  /** With --keep-running-until, until that file exists (at most 15 minutes); with --keep-running, until Ctrl-C. */
  private void holdServices(DemoServices services) throws InterruptedException {
    if (keepRunningUntil != null) {
      out.println("services stay up until " + keepRunningUntil + " exists");
      out.flush();
      long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
      while (!Files.exists(keepRunningUntil) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    } else if (keepRunning && services.startedAny()) {
      out.println("services stay up; press Ctrl-C to stop them");
      out.flush();
      new CountDownLatch(1).await();
    }
  }
}
