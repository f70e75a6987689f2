package dev.driftline.cli.demo;

import dev.driftline.cli.PythonTrainer;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.topics.Topic;
import dev.driftline.examples.trainer.Trainer;
import dev.driftline.jobs.driftdetection.DriftDetectionJob;
import dev.driftline.jobs.driftdetection.DriftOutputs;
import dev.driftline.jobs.featurepipeline.FeatureOutputs;
import dev.driftline.jobs.featurepipeline.FeaturePipelineJob;
import dev.driftline.jobs.retraintrigger.RetrainTriggerJob;
import dev.driftline.jobs.retraintrigger.TriggerOutputs;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.flink.JobEnvironments;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.services.PrometheusMetrics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;

/**
 * The demo's jobs, each a bounded run over what the input topics hold, on a Flink MiniCluster of
 * its own (RocksDB state, checkpoints under the demo's directory, parallelism 2, no restarts), one
 * after the other: drift-detection with feature-pipeline, then retrain-trigger, then an example
 * trainer answering the triggers.
 */
final class DemoJobs {
  private final KafkaConfig kafka;
  private final ElasticsearchConfig es;
  private final DemoSpecs specs;
  private final ModelRegistry models;
  private final Path dir;
  private final int metricsPort;
  private final DemoConsole console;

  /** @param metricsPort where each job's MiniCluster serves Prometheus /metrics while it runs */
  DemoJobs(KafkaConfig kafka, ElasticsearchConfig es, DemoSpecs specs, Path dir, int metricsPort, DemoConsole console) {
    this.kafka = kafka;
    this.es = es;
    this.specs = specs;
    this.models = specs.models();
    this.dir = dir;
    this.metricsPort = metricsPort;
    this.console = console;
  }

  /** The index templates of every job's Elasticsearch outputs. */
  void installTemplates() {
    DriftOutputs.installTemplates(es);
    TriggerOutputs.installTemplates(es);
    FeatureOutputs.installTemplate(es);
  }

  /** drift-detection (against the start profiles) and feature-pipeline, in one MiniCluster, to the end of their input. */
  void runDriftAndFeatures(DemoTraffic.Profiles profiles) throws Exception {
    console.line("running drift-detection and feature-pipeline on a Flink MiniCluster ...");
    StreamExecutionEnvironment env = environment("drift");
    new DriftDetectionJob(
        KafkaSources.rawBounded(kafka, List.of(Topic.PREDICTIONS.defaultName()), "demo-drift"),
        KafkaSources.rawBounded(kafka, List.of(Topic.LABELS.defaultName()), "demo-drift"),
        KafkaSources.rawBounded(kafka, List.of(Topic.BASELINES.defaultName()), "demo-drift"),
        DriftOutputs.create(kafka, es, DriftOutputs.Topics.defaults(), models),
        models, Map.of(specs.credit().modelId(), Baseline.fromProfile(profiles.credit(), specs.credit()),
            specs.churn().modelId(), Baseline.fromProfile(profiles.churn(), specs.churn()),
            specs.tickets().modelId(), Baseline.fromProfile(profiles.tickets(), specs.tickets()))).build(env);
    new FeaturePipelineJob(List.of(specs.cards()), v -> KafkaSources.rawBounded(kafka, List.of(v.topic()), "demo-features"),
        FeatureOutputs.create(kafka, es, new FeatureOutputs.Settings(Topic.DEAD_LETTERS.defaultName(), DeliveryGuarantee.EXACTLY_ONCE, "demo-features")))
        .build(env);
    env.execute("driftline demo: drift-detection + feature-pipeline");
  }

  /** retrain-trigger over every drift result and performance update written before. */
  void runTrigger() throws Exception {
    console.line("running retrain-trigger ...");
    StreamExecutionEnvironment env = environment("trigger");
    new RetrainTriggerJob(
        KafkaSources.rawBounded(kafka, List.of(Topic.DRIFT_RESULTS.defaultName()), "demo-trigger"),
        KafkaSources.rawBounded(kafka, List.of(Topic.PERFORMANCE.defaultName()), "demo-trigger"),
        TriggerOutputs.create(kafka, es, new TriggerOutputs.Topics(Topic.RETRAIN_TRIGGERS.defaultName(), Topic.ALERTS.defaultName(),
            Topic.DEAD_LETTERS.defaultName(), "demo-trigger")),
        models, Duration.ofSeconds(5)).build(env);
    env.execute("driftline demo: retrain-trigger");
  }

  /** The Java example trainer (examples/trainer) answers the triggers once; it prints to {@code out}. */
  void runJavaTrainer(PrintWriter out) throws Exception {
    List<Path> trainerSpecs = specs.writeForTrainers(dir.resolve("specs"));
    console.line("the example trainer answers the triggers ...");
    new CommandLine(new Trainer()).setOut(out).execute("--bootstrap-servers", kafka.bootstrapServers(),
        "--spec", trainerSpecs.get(0).toString(), trainerSpecs.get(1).toString(), "--work-dir", dir.resolve("trainer").toString(),
        "--once", "--min-rows", "100");
  }

  /** The Python example trainer, run by {@code python}, answers the triggers once; its lines go to the console as they are. */
  void runPythonTrainer(String python) throws Exception {
    List<Path> trainerSpecs = specs.writeForTrainers(dir.resolve("specs"));
    console.line("the Python example trainer (" + python + ", scikit-learn) answers the triggers ...");
    Path script = PythonTrainer.install(dir.resolve("python-trainer"));
    int exit = PythonTrainer.run(python, script, List.of("--bootstrap-servers", kafka.bootstrapServers(),
        "--spec", trainerSpecs.get(0).toString(), trainerSpecs.get(1).toString(), trainerSpecs.get(2).toString(),
        "--work-dir", dir.resolve("python-trainer").resolve("work").toString(),
        "--once", "--min-rows", "100", "--driftline", PythonTrainer.driftlineCommand()), console::raw);
    if (exit != 0) {
      console.line("the Python trainer exited with " + exit + " (its lines are above)");
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
}
