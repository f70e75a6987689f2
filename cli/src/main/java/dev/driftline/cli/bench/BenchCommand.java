package dev.driftline.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.io.DurationText;
import dev.driftline.core.io.InputException;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.topics.NamedTopic;
import dev.driftline.core.topics.Topic;
import dev.driftline.jobs.driftdetection.operators.CloseWindowFunction;
import dev.driftline.jobs.driftdetection.operators.PerformanceWindowFunction;
import dev.driftline.runtime.flink.JobEnvironments;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.services.KafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code driftline bench}: throughput, latency and footprint of the pipelines on this machine.
 * Starts a real Kafka broker, preloads synthetic traffic, then runs each pipeline one after the other
 * on a local MiniCluster with production settings (RocksDB, checkpoints, exactly-once Kafka sinks)
 * and bounded sources, and reports a markdown table on stdout and a JSON file.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Benchmark the pipelines on an embedded Kafka and Flink MiniCluster; prints a table and writes JSON.")
public final class BenchCommand implements Callable<Integer> {
  /**
   * The accumulators a job may publish, each the largest serialized window state of one key in
   * bytes; a key's state per window is their sum (drift summary plus performance summary).
   */
  static final List<String> STATE_BYTES_ACCUMULATORS = List.of(CloseWindowFunction.STATE_BYTES,
      PerformanceWindowFunction.STATE_BYTES);

  /** The most models a run may spread its traffic over. */
  static final int MAX_MODELS = 2_000;
  /** Models past this many reuse the training data of model {@code m % DISTINCT_PROFILES} (profiles take a while to build). */
  static final int DISTINCT_PROFILES = 20;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--predictions", defaultValue = "1000000", description = "Predictions per run (default: ${DEFAULT-VALUE}).")
  long predictions;

  @Option(names = "--features", defaultValue = "20", description = "Numeric features (default: ${DEFAULT-VALUE}).")
  int features;

  @Option(names = "--categorical", defaultValue = "5", description = "Categorical features (default: ${DEFAULT-VALUE}).")
  int categorical;

  @Option(names = "--label-share", defaultValue = "0.5", description = "Fraction of predictions that get a label (default: ${DEFAULT-VALUE}).")
  double labelShare;

  @Option(names = "--window", defaultValue = "1m", description = "Tumbling window size (default: ${DEFAULT-VALUE}).")
  String window;

  @Option(names = "--per-window", defaultValue = "20000", description = "Predictions per window of event time (default: ${DEFAULT-VALUE}).")
  int perWindow;

  @Option(names = "--models", defaultValue = "1", description = "Models sharing the traffic (default: ${DEFAULT-VALUE}).")
  int models;

  @Option(names = "--segments", defaultValue = "0", description = "Segments per model, each prediction in one of them at"
      + " random; 0 for none (default: ${DEFAULT-VALUE}).")
  int segments;

  @Option(names = "--parallelism", defaultValue = "2", description = "Flink parallelism (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--partitions", defaultValue = "2", description = "Partitions of the input topics, at least --parallelism (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of all generated data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--dir", defaultValue = "target/driftline-bench", description = "Working directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--out", paramLabel = "FILE.json", description = "Where to write the results as JSON (default: DIR/bench.json).")
  Path out;

  @Option(names = "--runs", paramLabel = "a,b,...", description = "Runs to make, of " + "pass-through,drift,drift+labels,features,naive (default: all).")
  String runs;

  @Option(names = "--repeat", defaultValue = "1", description = "Make every run this many times, round by round, and"
      + " report each run's median by records/s (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--no-warmup", description = "Skip the untimed drift+labels run made before the timed ones.")
  boolean noWarmup;

  @Option(names = "--no-derived", description = "Skip drift+labels with 10x longer windows (same traffic) and at parallelism 1.")
  boolean noDerived;

  @Option(names = "--checkpoint-interval", defaultValue = "10s", description = "Checkpoint interval (default: ${DEFAULT-VALUE}).")
  String checkpointInterval;

  @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Use this Kafka instead of starting one.")
  String kafkaAddress;

  @Option(names = "--profile", description = "Record a Java Flight Recording of every timed run (DIR/<bench id>/<run>.jfr)"
      + " and write the top frames per stage to DIR/<bench id>/profile.md.")
  boolean profile;

  private PrintWriter err;

  @Override
  public Integer call() throws Exception {
    err = spec.commandLine().getErr();
    Duration windowSize = DurationText.parse("--window", window);
    Duration checkpoints = DurationText.parse("--checkpoint-interval", checkpointInterval);
    validate(windowSize);
    List<BenchPlan.Run> plan = BenchPlan.runs(BenchPlan.parseRuns(runs), !noDerived, parallelism);
    Path outFile = out != null ? out : dir.resolve("bench.json");
    Files.createDirectories(dir);
    KafkaBroker broker = null;
    try {
      if (kafkaAddress == null) {
        progress("starting Kafka ...");
        broker = KafkaBroker.start(dir.resolve("kafka").toAbsolutePath(), 0);
      }
      KafkaConfig kafka = KafkaConfig.of(broker != null ? broker.bootstrapServers() : kafkaAddress);
      List<RunResult> results = bench(kafka, plan, windowSize, checkpoints);
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.print(BenchReport.table(results, parallelism));
      stdout.flush();
      ObjectNode json = BenchReport.json(BenchMachine.describe(), settings(outFile), results);
      Files.createDirectories(outFile.toAbsolutePath().getParent());
      Files.write(outFile, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
      progress("wrote " + outFile);
      return 0;
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private List<RunResult> bench(KafkaConfig kafka, List<BenchPlan.Run> plan, Duration windowSize, Duration checkpoints)
      throws Exception {
    String id = "bench-" + Long.toString(System.currentTimeMillis(), 36);
    BenchTopics topics = new BenchTopics(id);
    Path work = Files.createDirectories(dir.resolve(id));

    List<MonitorSpec> specs = new ArrayList<>();
    Map<String, BaselineFile> profiles = new LinkedHashMap<>();
    Map<String, Baseline> baselines = new LinkedHashMap<>();
    Map<String, double[][]> references = new LinkedHashMap<>();
    List<MonitorSpec> specs10x = new ArrayList<>();
    Map<String, Baseline> baselines10x = new LinkedHashMap<>();
    // Every model has a baseline of its own; past DISTINCT_PROFILES models, the training data repeats.
    List<BaselineFile> distinct = new ArrayList<>();
    List<double[][]> distinctReferences = new ArrayList<>();
    for (int m = 0; m < models; m++) {
      String modelId = models == 1 ? "bench" : "bench-" + m;
      MonitorSpec s = MonitorSpecParser.parse("driftline bench spec of " + modelId,
          BenchSpecs.monitorYaml(modelId, features, categorical, windowSize, segments > 0));
      if (m < DISTINCT_PROFILES) {
        distinct.add(BenchData.profile(s, seed + m, work));
        distinctReferences.add(BenchData.referenceSamples(s, distinct.get(m)));
      }
      BaselineFile profile = distinct.get(m % DISTINCT_PROFILES);
      specs.add(s);
      profiles.put(modelId, profile);
      baselines.put(modelId, Baseline.fromProfile(profile, s));
      references.put(modelId, distinctReferences.get(m % DISTINCT_PROFILES));
      MonitorSpec s10 = MonitorSpecParser.parse("driftline bench spec of " + modelId + " (10x window)",
          BenchSpecs.monitorYaml(modelId, features, categorical, windowSize.multipliedBy(10), segments > 0));
      specs10x.add(s10);
      baselines10x.put(modelId, Baseline.fromProfile(profile, s10));
    }
    ModelRegistry registry = new ModelRegistry(specs);
    FeatureView cards = FeatureViewParser.parse("examples/feature-views/card-transactions.yaml (for the benchmark)",
        BenchSpecs.featureViewYaml(resource("/examples/feature-views/card-transactions.yaml"), id, topics.cardTransactions()));
    BenchRuns builder = new BenchRuns(kafka, topics, registry, baselines, new ModelRegistry(specs10x), baselines10x,
        references, cards);

    BenchData data = new BenchData(kafka);
    BenchPlan.Run warmUp = noWarmup || plan.isEmpty() ? null : BenchPlan.warmUp(parallelism);
    boolean needsTraffic = warmUp != null
        || plan.stream().anyMatch(r -> r.kind() != BenchPlan.Kind.FEATURES);
    boolean needsCards = plan.stream().anyMatch(r -> r.kind() == BenchPlan.Kind.FEATURES);
    List<NamedTopic> toCreate = new ArrayList<>(topics.inputs());
    for (int round = 1; round <= repeat; round++) {
      for (BenchPlan.Run r : plan) {
        toCreate.addAll(builder.outputTopics(r.again(round)));
      }
    }
    if (warmUp != null) {
      toCreate.addAll(builder.outputTopics(warmUp));
    }
    if (needsCards) {
      toCreate.add(Topic.FEATURES.named(cards.logTopic()));
    }
    data.createTopics(toCreate, partitions);

    long t0 = System.nanoTime();
    Duration span = Duration.ofMillis(Math.round(predictions * (double) windowSize.toMillis() / perWindow));
    if (needsTraffic) {
      BenchData.Produced p = data.produceTraffic(specs, profiles, predictions, perWindow, windowSize, labelShare, segments,
          seed, topics.predictions(), topics.labels());
      progress(String.format(Locale.ROOT, "preloaded %d predictions and %d labels (%d per %s window)",
          p.predictions(), p.labels(), perWindow, window));
    }
    if (needsCards) {
      data.produceCardTransactions(topics.cardTransactions(), predictions, span, seed);
      progress("preloaded " + predictions + " card transactions");
    }
    progress(String.format(Locale.ROOT, "preload took %.0f s (not timed)", (System.nanoTime() - t0) / 1e9));

    MonitorSpec first = specs.get(0);
    if (warmUp != null) {
      RunResult w = measure(kafka, builder, warmUp, id, checkpoints, windowSize.toMillis(),
          first.window().maxOutOfOrderness().toMillis());
      progress(String.format(Locale.ROOT, "warm-up (drift+labels, not reported) took %.1f s", w.seconds()));
    }
    Map<String, List<RunResult>> rounds = new LinkedHashMap<>();
    for (int round = 1; round <= repeat; round++) {
      for (BenchPlan.Run planned : plan) {
        BenchPlan.Run run = planned.again(round);
        RunResult r = measure(kafka, builder, run, id, checkpoints, windowSize.toMillis() * (run.tenXWindow() ? 10 : 1),
            first.window().maxOutOfOrderness().toMillis());
        rounds.computeIfAbsent(run.name(), k -> new ArrayList<>()).add(r);
        progress(String.format(Locale.ROOT, "%-24s %d records in %.1f s: %d records/s%s%s", run.name(), r.records(),
            r.seconds(), Math.round(r.recordsPerSecond()),
            r.latencyMsP50() == null ? "" : ", latency p50 " + BenchReport.millis(r.latencyMsP50()),
            repeat == 1 ? "" : " (round " + round + " of " + repeat + ")"));
      }
    }
    List<RunResult> results = new ArrayList<>();
    rounds.values().forEach(all -> results.add(BenchReport.median(all)));
    return results;
  }

  private RunResult measure(KafkaConfig kafka, BenchRuns builder, BenchPlan.Run run, String id, Duration checkpoints,
      long windowMillis, long outOfOrderMillis) throws Exception {
    String probeId = id + "/" + run.slug();
    // One watermark per source subtask: the sources run at the job's parallelism.
    PassTimes passTimes = new PassTimes(run.parallelism(), windowMillis, outOfOrderMillis);
    LatencyProbe.Observations seen = LatencyProbe.register(probeId, passTimes);
    try {
      Path checkpointDir = dir.resolve("checkpoints").resolve(id).resolve(run.slug()).toAbsolutePath();
      StreamExecutionEnvironment env = environment(checkpointDir, run.parallelism(), checkpoints);
      builder.build(run, env, probeId);
      JobExecutionResult result;
      double seconds;
      RunProfile recording = profile ? RunProfile.start(dir.resolve(id).resolve(run.slug() + ".jfr")) : null;
      RunMeter meter = RunMeter.start(checkpointDir);
      try {
        JobClient client = env.executeAsync("driftline bench: " + run.name());
        awaitRunning(client);
        long start = System.nanoTime();
        result = client.getJobExecutionResult().get();
        seconds = (System.nanoTime() - start) / 1e9;
      } catch (ExecutionException e) {
        throw new IllegalStateException("run " + run.name() + " failed: " + rootCause(e), e);
      } finally {
        meter.close();
        if (recording != null) {
          RunProfile.Summary summary = recording.stop();
          Path md = dir.resolve(id).resolve("profile.md");
          Files.writeString(md, summary.markdown(run.name()) + "\n", StandardCharsets.UTF_8,
              java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
          progress("profile of " + run.name() + ": " + summary.file() + " (top frames per stage in " + md + ")");
        }
      }
      long peakHeap = meter.peakHeapBytes();
      Double cpuBusy = meter.cpuBusy();
      Map<String, Long> taskCpu = meter.taskCpuMillis();
      long checkpointBytes = meter.checkpointBytes();
      Long p50 = null;
      Long p99 = null;
      Long featureWindows = null;
      String resultTopic = builder.windowResults(run);
      if (resultTopic != null) {
        ResultTopic.Read read = ResultTopic.read(kafka, resultTopic);
        featureWindows = read.featureWindows();
        List<Long> latencies = Latency.latencies(passTimes.passTimes(), read.firstResults());
        p50 = Latency.percentile(latencies, 0.5);
        p99 = Latency.percentile(latencies, 0.99);
      }
      Long state = null;
      for (String name : STATE_BYTES_ACCUMULATORS) {
        if (result.getAllAccumulatorResults().get(name) instanceof Number n) {
          state = (state == null ? 0 : state) + n.longValue();
        }
      }
      return new RunResult(run.name(), seen.records.sum(), seconds, p50, p99, checkpointBytes, peakHeap, state, cpuBusy,
          taskCpu, featureWindows);
    } finally {
      LatencyProbe.unregister(probeId);
    }
  }

  /** Waits until the job is RUNNING (or already past it: a tiny job may finish first). */
  private static void awaitRunning(JobClient client) throws Exception {
    while (true) {
      JobStatus status = client.getJobStatus().get();
      if (status == JobStatus.RUNNING || status.isTerminalState()) {
        return;
      }
      Thread.sleep(10);
    }
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.toString();
  }

  /** The local MiniCluster with production settings, as the demo's: RocksDB, checkpoints, no restarts. */
  private static StreamExecutionEnvironment environment(Path checkpointDir, int parallelism, Duration interval) {
    Configuration conf = new Configuration();
    JobEnvironments.state(conf, "rocksdb");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(parallelism);
    env.enableCheckpointing(interval.toMillis());
    return env;
  }

  private void validate(Duration windowSize) {
    InputException.require(predictions >= 1, "--predictions: expected at least 1, got " + predictions);
    InputException.require(features >= 1 && features <= 500, "--features: expected 1..500, got " + features);
    InputException.require(categorical >= 0 && categorical <= 500, "--categorical: expected 0..500, got " + categorical);
    InputException.require(labelShare >= 0 && labelShare <= 1, "--label-share: expected a number in [0, 1], got " + labelShare);
    InputException.require(perWindow >= 1, "--per-window: expected at least 1, got " + perWindow);
    InputException.require(models >= 1 && models <= MAX_MODELS, "--models: expected 1.." + MAX_MODELS + ", got " + models);
    InputException.require(segments >= 0 && segments <= 26, "--segments: expected 0..26, got " + segments);
    InputException.require(parallelism >= 1 && parallelism <= 64, "--parallelism: expected 1..64, got " + parallelism);
    InputException.require(partitions >= parallelism, "--partitions: expected at least --parallelism (" + parallelism + ") so that one model"
        + " spreads over all subtasks, got " + partitions);
    InputException.require(repeat >= 1 && repeat <= 9, "--repeat: expected 1..9, got " + repeat);
    InputException.require(windowSize.toMillis() >= 1000, "--window: expected at least 1s, got " + window);
    InputException.require(predictions / models >= 1, "--predictions: expected at least one per model (--models " + models + ")");
  }

  private ObjectNode settings(Path outFile) {
    ObjectNode s = Json.mapper().createObjectNode();
    s.put("predictions", predictions).put("features", features).put("categorical", categorical)
        .put("label_share", labelShare).put("window", window).put("per_window", perWindow).put("models", models).put("segments", segments)
        .put("parallelism", parallelism).put("partitions", partitions).put("seed", seed)
        .put("dir", dir.toString()).put("out", outFile.toString())
        .put("runs", runs == null ? String.join(",", BenchPlan.ALL) : runs).put("derived", !noDerived).put("warmup", !noWarmup).put("repeat", repeat).put("profile", profile)
        .put("checkpoint_interval", checkpointInterval).put("kafka", kafkaAddress == null ? "embedded" : kafkaAddress)
        .put("max_out_of_orderness", DurationText.format(BenchSpecs.MAX_OUT_OF_ORDERNESS))
        .put("label_delay_mean", DurationText.format(BenchData.LABEL_DELAY));
    return s;
  }

  private void progress(String message) {
    err.println("bench: " + message);
    err.flush();
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = BenchCommand.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new InputException("the example " + path + " is missing from this build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
