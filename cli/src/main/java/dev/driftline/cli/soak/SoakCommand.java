package dev.driftline.cli.soak;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.cli.bench.BenchSpecs;
import dev.driftline.core.io.DurationText;
import dev.driftline.core.io.InputException;
import dev.driftline.core.io.Json;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.topics.Topic;
import dev.driftline.services.CommittedRecords;
import dev.driftline.services.FlinkStandaloneCluster;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code driftline soak}: the drift-detection job under steady traffic for a while, watched for
 * growth. Starts Kafka, Elasticsearch (the job writes its results there too) and a standalone Flink
 * cluster, submits the job jar, writes predictions and labels in real time at a fixed rate (one
 * feature shifts halfway), and every sample interval records the TaskManager's heap after a full GC,
 * the state and checkpoint sizes, the checkpoint duration, the result latency and the consumer lag.
 * Prints a table row per sample and the least-squares slope per minute of each measure over the
 * samples after the warm-up. After the traffic it waits for the job to catch up, then compares the
 * drift results read committed with a batch recomputation of what an uninterrupted run of the same
 * seeded traffic emits, by id and value, and prints the outcome as the numbers of a reliability row;
 * writes JSON. Exit code 3 when a slope exceeds its bound, no checkpoint completed or no result came,
 * or a result is missing, doubled, unexpected or different, a restart or a dead letter other than a
 * label later than {@code labels.max_delay} happened, or the job did not catch up.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run the drift-detection job on a standalone cluster under steady traffic; sample heap, state,"
        + " checkpoints, latency and lag, fail when they grow, and check every result against an uninterrupted run.")
public final class SoakCommand implements Callable<Integer> {
  /** The command's exit code when the job did not hold up: a measure grows, nothing came out, or a result is wrong. */
  public static final int EXIT_GROWTH = 3;
  static final String MODEL = "soak";
  static final int NUMERIC = 10;
  static final int CATEGORICAL = 3;
  static final int PARTITIONS = 2;
  static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);
  static final Duration LABEL_DELAY = Duration.ofSeconds(5);
  static final Duration MAX_LABEL_DELAY = Duration.ofMinutes(1);
  static final double LABEL_MISSING = 0.1;
  /** The job's topics, each under its catalogue entry: the job reads and writes them under a run's prefix. */
  static final List<Topic> TOPICS = List.of(Topic.PREDICTIONS, Topic.LABELS, Topic.BASELINES, Topic.DRIFT_RESULTS,
      Topic.PERFORMANCE, Topic.LABELLED_PREDICTIONS, Topic.DEAD_LETTERS);
  /** The job's options naming them, in the same order. */
  static final List<String> TOPIC_OPTIONS = List.of("--predictions-topic", "--labels-topic", "--baselines-topic",
      "--drift-topic", "--performance-topic", "--labelled-topic", "--dead-letter-topic");
  static final String DRIFTED_FEATURE = BenchSpecs.numericName(0);
  /** How long after the traffic the job has to catch up: its consumer group's lag 0, and its last results out. */
  static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(5);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--minutes", defaultValue = "30", description = "Minutes of traffic (default: ${DEFAULT-VALUE}).")
  double minutes;

  @Option(names = "--rate", defaultValue = "200", description = "Predictions per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--sample", defaultValue = "60s", paramLabel = "DURATION", description = "Sample interval (default: ${DEFAULT-VALUE}).")
  String sample;

  @Option(names = "--warmup", defaultValue = "1m", paramLabel = "DURATION",
      description = "Samples before this are shown but left out of the slopes (default: ${DEFAULT-VALUE}).")
  String warmup;

  @Option(names = "--window", defaultValue = "1m", paramLabel = "DURATION", description = "Tumbling window size (default: ${DEFAULT-VALUE}).")
  String window;

  @Option(names = "--checkpoint-interval", defaultValue = "10s", paramLabel = "DURATION", description = "Default: ${DEFAULT-VALUE}.")
  String checkpointInterval;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated traffic (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--max-heap-growth", defaultValue = "4", paramLabel = "MiB", description = "Bound on the heap-after-GC slope, MiB per minute (default: ${DEFAULT-VALUE}).")
  double maxHeapGrowth;

  @Option(names = "--max-state-growth", defaultValue = "256", paramLabel = "KiB", description = "Bound on the state and checkpoint size slopes, KiB per minute (default: ${DEFAULT-VALUE}).")
  double maxStateGrowth;

  @Option(names = "--max-checkpoint-time-growth", defaultValue = "500", paramLabel = "MS", description = "Bound on the checkpoint duration slope, ms per minute (default: ${DEFAULT-VALUE}).")
  double maxCheckpointTimeGrowth;

  @Option(names = "--max-latency-growth", defaultValue = "5", paramLabel = "S", description = "Bound on the result latency slope, seconds per minute (default: ${DEFAULT-VALUE}).")
  double maxLatencyGrowth;

  @Option(names = "--max-lag-growth", defaultValue = "1000", paramLabel = "RECORDS", description = "Bound on the consumer lag slope, records per minute (default: ${DEFAULT-VALUE}).")
  double maxLagGrowth;

  @CommandLine.Mixin ServiceOptions services;

  @Option(names = "--dir", defaultValue = "target/driftline-soak", description = "Working directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--out", paramLabel = "FILE.json", description = "Where to write the samples and slopes (default: DIR/soak.json).")
  Path out;

  private PrintWriter err;
  private final long started = System.nanoTime();

  /** The measures of a sample, each in the unit its slope and bound are given in. */
  List<Trend.Measure> measures() {
    return List.of(
        new Trend.Measure("heap_after_gc_mib", s -> s.heapAfterGcBytes() / 1048576.0, maxHeapGrowth),
        new Trend.Measure("state_kib", s -> s.stateBytes() == null ? null : s.stateBytes() / 1024.0, maxStateGrowth),
        new Trend.Measure("checkpoint_kib", s -> s.checkpointBytes() == null ? null : s.checkpointBytes() / 1024.0, maxStateGrowth),
        new Trend.Measure("checkpoint_ms", SoakSample::checkpointMillis, maxCheckpointTimeGrowth),
        new Trend.Measure("latency_s", s -> s.latencyMillis() == null ? null : s.latencyMillis() / 1000.0, maxLatencyGrowth),
        new Trend.Measure("lag_records", SoakSample::lag, maxLagGrowth));
  }

  @Override
  public Integer call() throws Exception {
    err = spec.commandLine().getErr();
    Duration interval = DurationText.parse("--sample", sample);
    Duration warm = DurationText.parse("--warmup", warmup);
    Duration windowSize = DurationText.parse("--window", window);
    Duration checkpoints = DurationText.parse("--checkpoint-interval", checkpointInterval);
    InputException.require(minutes > 0 && minutes <= 24 * 60, "--minutes: expected a number in (0, 1440], got " + minutes);
    InputException.require(rate > 0 && rate <= 100_000, "--rate: expected a number in (0, 100000], got " + rate);
    InputException.require(interval.toMillis() >= 1000, "--sample: expected at least 1s, got " + sample);
    InputException.require(windowSize.toMillis() >= 1000, "--window: expected at least 1s, got " + window);
    Path jar = services.jar();
    Path outFile = out != null ? out : dir.resolve("soak.json");
    Duration traffic = Duration.ofMillis(Math.round(minutes * 60_000));

    List<SoakSample> samples = new ArrayList<>();
    SoakReport.Outcome outcome;
    TrafficConfig config;
    try (SoakServices run = SoakServices.start(new SoakServices.Settings("soak", dir, jar, windowSize, checkpointInterval, seed,
        services.kafkaAddress, services.esUrl), this::progress)) {
      config = SoakTraffic.clearOfWindowEnds(run.monitor, run.profile,
          Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1), traffic, rate, seed, watermarkMargin(windowSize));
      progress("job " + run.jobId + " running; " + fmt(rate) + " predictions/s for " + fmt(minutes) + " min from "
          + config.start() + ", a sample every " + sample + " (logs in " + run.work + ")");
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.print(SoakReport.HEADER);
      stdout.flush();
      String predictions = run.topic(Topic.PREDICTIONS);
      String labels = run.topic(Topic.LABELS);
      // The labels due after the last prediction are written with it: the traffic ends with the predictions.
      try (SoakTraffic producer = new SoakTraffic(run.kafka, run.monitor, config, predictions, labels,
              config.end().toEpochMilli());
          SoakProbe probe = new SoakProbe(run.cluster, run.jobId, run.kafka, run.id, List.of(predictions, labels),
              run.topic(Topic.DRIFT_RESULTS));
          CommittedRecords deadLetters = CommittedRecords.follow(run.kafka.bootstrapServers(), run.topic(Topic.DEAD_LETTERS))) {
        producer.start();
        // Recomputed while the traffic runs, so the comparison at the end does not wait for it.
        TrafficConfig seeded = config;
        CompletableFuture<UninterruptedDrift.Outputs> expected =
            CompletableFuture.supplyAsync(() -> UninterruptedDrift.outputs(run.monitor, run.profile, seeded));
        CompletableFuture<Long> caughtUp = watchCatchUp(run, List.of(predictions, labels), producer);
        long startMillis = config.start().toEpochMilli();
        for (long next = startMillis + interval.toMillis(); next <= startMillis + traffic.toMillis(); next += interval.toMillis()) {
          Thread.sleep(Math.max(0, next - System.currentTimeMillis()));
          if (producer.failure() != null) {
            throw new IllegalStateException(producer.failure());
          }
          run.requireRunning();
          // The time the sample is taken, not the one it was due: under load a sample may start late.
          SoakSample s = probe.sample((System.currentTimeMillis() - startMillis) / 60_000.0, producer.predictions());
          samples.add(s);
          stdout.print(SoakReport.row(s));
          stdout.flush();
        }
        outcome = catchUp(run, expected, caughtUp, producer, probe, deadLetters);
      }
    }
    List<Trend> trends = Trend.of(samples, measures(), warm.toMillis() / 60_000.0);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println();
    stdout.print(SoakReport.trends(trends));
    stdout.println();
    stdout.println(outcome.numbers(trends));
    stdout.flush();
    Files.createDirectories(outFile.toAbsolutePath().getParent());
    Files.write(outFile, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(
        SoakReport.json(settings(jar, outFile, config), samples, trends, outcome)));
    progress("wrote " + outFile);
    List<String> problems = problems(samples, trends, outcome);
    problems.forEach(this::progress);
    return problems.isEmpty() ? 0 : EXIT_GROWTH;
  }

  /**
   * After the traffic: waits until every record was acknowledged, the job's consumer group has
   * committed them all ({@code caughtUp}) and the drift results stop coming, then compares those read
   * committed with the uninterrupted run's.
   */
  private SoakReport.Outcome catchUp(SoakServices run, CompletableFuture<UninterruptedDrift.Outputs> expected,
      CompletableFuture<Long> caughtUp, SoakTraffic producer, SoakProbe probe, CommittedRecords deadLetters)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (!producer.awaitEnd(CATCH_UP_TIMEOUT)) {
      throw new IllegalStateException("the traffic was not all written and acknowledged " + DurationText.format(CATCH_UP_TIMEOUT)
          + " after its end: " + producer.acknowledgedPredictions() + " of " + producer.predictions() + " predictions");
    }
    if (producer.failure() != null) {
      throw new IllegalStateException(producer.failure());
    }
    long stopNanos = producer.endedNanos();
    progress(String.format(Locale.ROOT, "%d predictions and %d labels written and acknowledged %.1f s ago; catching up",
        producer.predictions(), producer.labels(), (System.nanoTime() - stopNanos) / 1e9));
    long caughtUpNanos = caughtUp.get(CATCH_UP_TIMEOUT.toSeconds() + 60, TimeUnit.SECONDS);
    probe.results().awaitAtLeast(0, RunResults.quiet(DurationText.parse(checkpointInterval)), CATCH_UP_TIMEOUT);
    run.requireRunning();
    RunResults results = RunResults.of(expected.get(), probe.results(), deadLetters, run.cluster.restarts(run.jobId),
        stopNanos, caughtUpNanos);
    return new SoakReport.Outcome(producer.predictions(), producer.labels(), results, caughtUpNanos < 0 ? probe.lag() : 0);
  }

  /**
   * When ({@link System#nanoTime()}) the job's consumer group first had committed every input record
   * after {@code producer} ended, or -1 when it had not {@link #CATCH_UP_TIMEOUT} later. Watched on a
   * thread of its own from the traffic's end on, so that a late last sample does not delay the look.
   */
  private static CompletableFuture<Long> watchCatchUp(SoakServices run, List<String> inputs, SoakTraffic producer) {
    CompletableFuture<Long> caughtUp = new CompletableFuture<>();
    Thread watch = new Thread(() -> {
      try (GroupLag lag = new GroupLag(run.kafka, run.id, inputs)) {
        while (producer.endedNanos() < 0) {
          Thread.sleep(100);
        }
        long stopNanos = producer.endedNanos();
        while (System.nanoTime() - stopNanos < CATCH_UP_TIMEOUT.toNanos()) {
          if (lag.records() == 0) {
            caughtUp.complete(System.nanoTime());
            return;
          }
          Thread.sleep(250);
        }
        caughtUp.complete(-1L);
      } catch (InterruptedException | RuntimeException e) {
        caughtUp.completeExceptionally(e);
      }
    }, "soak-catch-up");
    watch.setDaemon(true);
    watch.start();
    return caughtUp;
  }

  /**
   * How far the final watermark is kept from a window's end, so which windows close does not depend
   * on timing: {@link OverloadCommand#WATERMARK_MARGIN}, at most a quarter of the window.
   */
  static Duration watermarkMargin(Duration window) {
    Duration quarter = window.dividedBy(4);
    return quarter.compareTo(OverloadCommand.WATERMARK_MARGIN) < 0 ? quarter : OverloadCommand.WATERMARK_MARGIN;
  }

  /**
   * Why the run did not hold up, a line each: a measure grows too fast, no checkpoint, no result, a
   * result lost, doubled or changed, a dead letter, a restart, lag left. None when it did.
   */
  static List<String> problems(List<SoakSample> samples, List<Trend> trends, SoakReport.Outcome outcome) {
    List<String> problems = new ArrayList<>();
    SoakSample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
    if (last == null) {
      problems.add("no sample taken: --sample is longer than --minutes");
    } else {
      if (last.checkpoints() == 0) {
        problems.add("no checkpoint completed in " + fmt(last.minute()) + " min");
      }
      if (last.results() == 0) {
        problems.add("no drift result read in " + fmt(last.minute()) + " min");
      }
    }
    for (Trend t : trends) {
      if (t.exceeded()) {
        problems.add(String.format(Locale.ROOT, "%s grows by %.1f per minute, more than the bound %s", t.measure(),
            t.slopePerMinute(), fmt(t.bound())));
      }
    }
    problems.addAll(outcome.results().problems());
    if (outcome.lagLeft() > 0) {
      problems.add("the job had not caught up " + DurationText.format(CATCH_UP_TIMEOUT) + " after the traffic ended:"
          + " consumer group lag " + outcome.lagLeft() + " records, expected 0");
    }
    return problems;
  }

  private ObjectNode settings(Path jar, Path outFile, TrafficConfig config) {
    return services.describe(Json.mapper().createObjectNode(), jar).put("minutes", minutes).put("rate", rate).put("sample", sample)
        .put("traffic_start", config.start().toString()).put("traffic_end", config.end().toString())
        .put("warmup", warmup).put("window", window).put("checkpoint_interval", checkpointInterval).put("seed", seed)
        .put("numeric_features", NUMERIC).put("categorical_features", CATEGORICAL).put("partitions", PARTITIONS)
        .put("parallelism", FlinkStandaloneCluster.SLOTS).put("label_delay_mean", DurationText.format(LABEL_DELAY))
        .put("drifted_feature", DRIFTED_FEATURE)
        .put("heap", "TaskManager Status.JVM.Memory.Heap.Used right after jcmd GC.run (serial collector: a full GC)")
        .put("out", outFile.toString());
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }

  private void progress(String message) {
    err.printf(Locale.ROOT, "soak: [%.0f s] %s%n", (System.nanoTime() - started) / 1e9, message);
    err.flush();
  }
}
