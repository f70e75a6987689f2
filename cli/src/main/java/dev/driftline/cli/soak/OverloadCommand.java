package dev.driftline.cli.soak;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.DurationText;
import dev.driftline.core.io.InputException;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.topics.Topic;
import dev.driftline.services.CommittedRecords;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code driftline overload}: the drift-detection job fed faster than it can go, then left to catch
 * up. On the same setup as {@code driftline soak} (standalone cluster, job jar, Kafka, Elasticsearch,
 * predictions with labels and a drifting feature) it writes {@code --rate} predictions per second for
 * {@code --minutes} (and at once the labels due after the last prediction) through a producer that
 * fails on any record the broker did not acknowledge, and
 * every sample interval reads the job's own lag ({@code pendingRecords} of its Kafka sources) and the
 * back-pressure of its predictions source from the TaskManager's Prometheus reporter, and its consumer
 * group's lag from the broker. After the last record it waits until the group has committed every
 * input record and the drift results stop coming; that is the catch-up time. Then it recomputes in
 * batch what an uninterrupted run of the same seeded traffic emits and compares it with the results
 * read committed, by id and value. Exit code 3 when a result is missing, doubled, unexpected or
 * different, a restart or a dead letter other than a label later than {@code labels.max_delay}
 * happened, the job did not catch up in time, or neither
 * back-pressure nor lag was seen (the rate was not an overload).
 */
@Command(name = "overload", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Feed the drift-detection job on a standalone cluster faster than it sustains, sample lag and"
        + " back-pressure, time the catch-up, and check every result against an uninterrupted run.")
public final class OverloadCommand implements Callable<Integer> {
  /** The command's exit code when the job lost, doubled or changed a result, or the run showed no overload. */
  public static final int EXIT_FAILED = 3;
  /** The final watermark is kept at least this far from a window's end, so which windows close does not depend on timing. */
  static final Duration WATERMARK_MARGIN = Duration.ofSeconds(2);
  private static final long TICK_MILLIS = 250;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--rate", defaultValue = "6000", description = "Predictions per second to write (default: ${DEFAULT-VALUE});"
      + " labels come on top, for 90 % of them.")
  double rate;

  @Option(names = "--minutes", defaultValue = "2", description = "Minutes of traffic (default: ${DEFAULT-VALUE}).")
  double minutes;

  @Option(names = "--sample", defaultValue = "5s", paramLabel = "DURATION", description = "Sample interval (default: ${DEFAULT-VALUE}).")
  String sample;

  @Option(names = "--window", defaultValue = "10s", paramLabel = "DURATION", description = "Tumbling window size (default: ${DEFAULT-VALUE}).")
  String window;

  @Option(names = "--checkpoint-interval", defaultValue = "5s", paramLabel = "DURATION", description = "Default: ${DEFAULT-VALUE}.")
  String checkpointInterval;

  @Option(names = "--catch-up-timeout", defaultValue = "15m", paramLabel = "DURATION",
      description = "Give up when the job has not caught up this long after the traffic ended (default: ${DEFAULT-VALUE}).")
  String catchUpTimeout;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated traffic (default: ${DEFAULT-VALUE}).")
  long seed;

  @CommandLine.Mixin ServiceOptions services;

  @Option(names = "--dir", defaultValue = "target/driftline-overload", description = "Working directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--out", paramLabel = "FILE.json", description = "Where to write the samples and the outcome (default: DIR/overload.json).")
  Path out;

  private PrintWriter err;
  private final long started = System.nanoTime();

  @Override
  public Integer call() throws Exception {
    err = spec.commandLine().getErr();
    Duration interval = DurationText.parse("--sample", sample);
    Duration windowSize = DurationText.parse("--window", window);
    DurationText.parse("--checkpoint-interval", checkpointInterval);
    Duration timeout = DurationText.parse("--catch-up-timeout", catchUpTimeout);
    InputException.require(minutes > 0 && minutes <= 24 * 60, "--minutes: expected a number in (0, 1440], got " + minutes);
    InputException.require(rate > 0 && rate <= 1_000_000, "--rate: expected a number in (0, 1000000], got " + rate);
    InputException.require(interval.toMillis() >= 1000, "--sample: expected at least 1s, got " + sample);
    InputException.require(windowSize.compareTo(WATERMARK_MARGIN.multipliedBy(4)) >= 0,
        "--window: expected at least " + DurationText.format(WATERMARK_MARGIN.multipliedBy(4)) + ", got " + window);
    Path jar = services.jar();
    Path outFile = out != null ? out : dir.resolve("overload.json");
    Duration traffic = Duration.ofMillis(Math.round(minutes * 60_000));
    PrintWriter stdout = spec.commandLine().getOut();

    List<OverloadSample> samples = new ArrayList<>();
    OverloadReport.Outcome outcome;
    List<String> problems = new ArrayList<>();
    try (SoakServices run = SoakServices.start(new SoakServices.Settings("overload", dir, jar, windowSize, checkpointInterval,
        seed, services.kafkaAddress, services.esUrl), this::progress)) {
      TrafficConfig config = SoakTraffic.clearOfWindowEnds(run.monitor, run.profile,
          Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2), traffic, rate, seed, WATERMARK_MARGIN);
      Instant start = config.start();
      progress("job " + run.jobId + " running; " + fmt(rate) + " predictions/s for " + fmt(minutes) + " min from " + start
          + ", a sample every " + sample + " (logs in " + run.work + ")");
      stdout.print(OverloadReport.HEADER);
      stdout.flush();
      String predictions = run.topic(Topic.PREDICTIONS);
      String labels = run.topic(Topic.LABELS);
      long startNanos = System.nanoTime() + (start.toEpochMilli() - System.currentTimeMillis()) * 1_000_000;
      long stopNanos;
      long caughtUpNanos = -1;
      try (CommittedRecords drift = CommittedRecords.follow(run.kafka.bootstrapServers(), run.topic(Topic.DRIFT_RESULTS));
          CommittedRecords deadLetters = CommittedRecords.follow(run.kafka.bootstrapServers(), run.topic(Topic.DEAD_LETTERS));
          GroupLag lag = new GroupLag(run.kafka, run.id, List.of(predictions, labels));
          // The labels due after the last prediction are written with it: the overload ends with the predictions.
          SoakTraffic producer = new SoakTraffic(run.kafka, run.monitor, config, predictions, labels,
              config.end().toEpochMilli())) {
        producer.start();
        Sampler sampler = new Sampler(run, lag, drift, producer, startNanos, samples, stdout);
        long next = startNanos + interval.toNanos();
        while (!producer.awaitEnd(Duration.ofMillis(TICK_MILLIS))) {
          next = sampler.takeWhenDue(next, interval, "overload");
        }
        stopNanos = System.nanoTime();
        if (producer.failure() != null) {
          throw new IllegalStateException(producer.failure());
        }
        progress(String.format(Locale.ROOT, "%d predictions and %d labels written and acknowledged in %.1f s; catching up",
            producer.predictions(), producer.labels(), (stopNanos - startNanos) / 1e9));
        while (System.nanoTime() - stopNanos < timeout.toNanos()) {
          next = sampler.takeWhenDue(next, interval, "catch-up");
          if (lag.records() == 0) {
            caughtUpNanos = System.nanoTime();
            break;
          }
          Thread.sleep(TICK_MILLIS);
        }
        if (caughtUpNanos < 0) {
          problems.add("the job had not caught up " + catchUpTimeout + " after the traffic ended: consumer group lag "
              + lag.records() + " records");
        }
        // Results a checkpoint commits after the offsets; and any duplicate that would follow.
        drift.awaitAtLeast(0, RunResults.quiet(DurationText.parse(checkpointInterval)), Duration.ofMinutes(2));
        sampler.take("caught up");
        OverloadProbe.write(run.cluster.taskManagerMetricsUrl(), run.work.resolve("taskmanager-metrics.txt"));
        progress("recomputing the uninterrupted run's results");
        RunResults results = RunResults.of(UninterruptedDrift.outputs(run.monitor, run.profile, config), drift, deadLetters,
            run.cluster.restarts(run.jobId), stopNanos, caughtUpNanos);
        progress("caught up " + fmt(results.catchUpSeconds()) + " s after the traffic ended");
        double trafficSeconds = (stopNanos - startNanos) / 1e9;
        double untilCaughtUp = trafficSeconds + results.catchUpSeconds();
        outcome = new OverloadReport.Outcome(producer.predictions(), producer.labels(), producer.predictions() / trafficSeconds,
            producer.predictions() / untilCaughtUp, results,
            samples.stream().mapToLong(OverloadSample::pendingRecords).max().orElse(0),
            samples.stream().mapToLong(OverloadSample::groupLag).max().orElse(0),
            samples.stream().mapToDouble(OverloadSample::backPressuredMsPerSecond).max().orElse(0));
      }
    }
    stdout.println();
    stdout.println(outcome.numbers());
    stdout.flush();
    Files.createDirectories(outFile.toAbsolutePath().getParent());
    Files.write(outFile, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(
        OverloadReport.json(settings(jar, outFile), samples, outcome)));
    progress("wrote " + outFile);
    problems.addAll(problems(outcome, samples.get(samples.size() - 1)));
    problems.forEach(this::progress);
    return problems.isEmpty() ? 0 : EXIT_FAILED;
  }

  /** Why the run failed, a line each: results lost, doubled or changed, dead letters, restarts, no overload, lag left. */
  static List<String> problems(OverloadReport.Outcome o, OverloadSample last) {
    List<String> problems = new ArrayList<>(o.results().problems());
    if (o.maxBackPressured() == 0) {
      problems.add("the predictions source was never back-pressured: --rate " + fmt(o.offeredRate())
          + " is not more than the job sustains");
    }
    if (o.maxPending() == 0) {
      problems.add("pendingRecords of the Kafka sources was never above 0: no lag seen in the job's metrics");
    }
    if (last.pendingRecords() != 0 || last.groupLag() != 0) {
      problems.add("lag left after the catch-up: pendingRecords " + last.pendingRecords() + ", consumer group lag "
          + last.groupLag() + ", expected 0 and 0");
    }
    return problems;
  }

  /** Takes, prints and keeps the samples. */
  private static final class Sampler {
    private final SoakServices run;
    private final GroupLag lag;
    private final CommittedRecords drift;
    private final SoakTraffic producer;
    private final long startNanos;
    private final List<OverloadSample> samples;
    private final PrintWriter stdout;

    Sampler(SoakServices run, GroupLag lag, CommittedRecords drift, SoakTraffic producer, long startNanos,
        List<OverloadSample> samples, PrintWriter stdout) {
      this.run = run;
      this.lag = lag;
      this.drift = drift;
      this.producer = producer;
      this.startNanos = startNanos;
      this.samples = samples;
      this.stdout = stdout;
    }

    /** A sample when {@code due} (a {@link System#nanoTime()}) has come; returns when the next is due. */
    long takeWhenDue(long due, Duration interval, String phase) {
      if (System.nanoTime() < due) {
        return due;
      }
      take(phase);
      long next = due;
      while (next <= System.nanoTime()) {
        next += interval.toNanos();
      }
      return next;
    }

    void take(String phase) {
      run.requireRunning();
      OverloadProbe.Reading r = OverloadProbe.read(run.cluster.taskManagerMetricsUrl());
      // The time the sample is taken, not the one it was due: under load a sample may start late.
      OverloadSample s = new OverloadSample((System.nanoTime() - startNanos) / 1e9, phase, producer.acknowledgedPredictions(),
          r.pendingRecords(), lag.records(), r.backPressuredMsPerSecond(), r.busyMsPerSecond(), drift.count());
      samples.add(s);
      stdout.print(OverloadReport.row(s));
      stdout.flush();
    }
  }

  private ObjectNode settings(Path jar, Path outFile) {
    return services.describe(Json.mapper().createObjectNode(), jar).put("minutes", minutes).put("rate", rate).put("sample", sample)
        .put("window", window).put("checkpoint_interval", checkpointInterval).put("catch_up_timeout", catchUpTimeout)
        .put("seed", seed).put("numeric_features", SoakCommand.NUMERIC).put("categorical_features", SoakCommand.CATEGORICAL)
        .put("partitions", SoakCommand.PARTITIONS).put("label_delay_mean", DurationText.format(SoakCommand.LABEL_DELAY))
        .put("out", outFile.toString());
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private void progress(String message) {
    err.printf(Locale.ROOT, "overload: [%.0f s] %s%n", (System.nanoTime() - started) / 1e9, message);
    err.flush();
  }
}
