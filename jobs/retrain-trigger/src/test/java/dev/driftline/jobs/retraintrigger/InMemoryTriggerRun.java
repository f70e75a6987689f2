package dev.driftline.jobs.retraintrigger;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.io.WrittenAt;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.RetrainTrigger;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.flink.NamedSink;
import dev.driftline.runtime.kafka.RawRecord;
import dev.driftline.services.CollectingSink.Output;
import dev.driftline.services.CollectingSink;
import dev.driftline.services.InMemorySource;
import dev.driftline.services.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;

/**
 * The trigger job as production builds it ({@link RetrainTriggerJob}) on in-memory inputs read as
 * a Kafka topic's partitions ({@link InMemorySource}), its triggers, alerts and dead letters
 * collected in this JVM: for the tests of the job's logic (order, parallelism, checkpoints), whose
 * outcome does not depend on the real broker. {@link RetrainTriggerJobTest} runs the same job on
 * the real Kafka and Elasticsearch.
 */
final class InMemoryTriggerRun {
  private InMemoryTriggerRun() {}

  /** What a run wrote, each output as {@link WrittenAt#without} texts, sorted. */
  record Decisions(List<String> triggers, List<String> alerts, List<String> deadLetters) {}

  /** A job's settings: its parallelism and checkpoint interval, and how often it emits watermarks. */
  record Settings(int parallelism, long checkpointMillis, long watermarkMillis) {
    static Settings of(int parallelism, long checkpointMillis) {
      return new Settings(parallelism, checkpointMillis, 200);
    }
  }

  /** Drift results and performance updates as the drift job writes them to one partition, offsets from 0. */
  static List<RawRecord> raw(String topic, List<?> results) {
    List<RawRecord> out = new ArrayList<>();
    for (Object r : results) {
      String key = r instanceof DriftResult d ? d.modelId() : ((PerformanceResult) r).modelId();
      out.add(new RawRecord(topic, 0, out.size(), 0L, key.getBytes(StandardCharsets.UTF_8), Json.bytes(r)));
    }
    return out;
  }

  /** A bounded run to the end of both inputs, each one partition read straight through. */
  static Decisions bounded(MiniCluster cluster, String name, Settings settings, MonitorSpec spec, List<RawRecord> drift,
      List<RawRecord> performance) throws Exception {
    return bounded(cluster, name, settings, spec, List.of(drift), List.of(performance), Duration.ZERO);
  }

  /** A bounded run to the end of both inputs, each one partition: a list of batches with {@code pause} after each. */
  static Decisions bounded(MiniCluster cluster, String name, Settings settings, MonitorSpec spec, List<List<RawRecord>> drift,
      List<List<RawRecord>> performance, Duration pause) throws Exception {
    StreamExecutionEnvironment env = build(cluster, name, settings, spec,
        InMemorySource.of(name + "/drift", RawRecord.class, Boundedness.BOUNDED, List.of(drift), pause),
        InMemorySource.of(name + "/performance", RawRecord.class, Boundedness.BOUNDED, List.of(performance), pause));
    env.execute("retrain trigger, in memory: " + name);
    return collected(name);
  }

  /**
   * An unbounded run of one partition per input, each a list of batches with {@code pause} after
   * each: returns once {@code triggers} triggers and {@code alerts} alerts are written, and a
   * second more for any extra, then cancels the job.
   */
  static Decisions unbounded(MiniCluster cluster, String name, Settings settings, MonitorSpec spec, List<List<RawRecord>> drift,
      List<List<RawRecord>> performance, Duration pause, int triggers, int alerts) throws Exception {
    StreamExecutionEnvironment env = build(cluster, name, settings, spec,
        InMemorySource.of(name + "/drift", RawRecord.class, Boundedness.CONTINUOUS_UNBOUNDED, List.of(drift), pause),
        InMemorySource.of(name + "/performance", RawRecord.class, Boundedness.CONTINUOUS_UNBOUNDED, List.of(performance), pause));
    JobClient job = env.executeAsync("retrain trigger, in memory: " + name);
    try {
      Waits.until(name + ": " + triggers + " triggers and " + alerts + " alerts", Duration.ofMinutes(2),
          () -> count(name, "trigger|") >= triggers && count(name, "alert|") >= alerts,
          () -> count(name, "trigger|") + " triggers, " + count(name, "alert|") + " alerts so far");
      Thread.sleep(1_000);
    } finally {
      job.cancel().get(1, TimeUnit.MINUTES);
    }
    return collected(name);
  }

  private static StreamExecutionEnvironment build(MiniCluster cluster, String name, Settings settings, MonitorSpec spec,
      InMemorySource<RawRecord> drift, InMemorySource<RawRecord> performance) {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, conf, settings.parallelism(), List.of(), List.of());
    env.enableCheckpointing(settings.checkpointMillis());
    env.getConfig().setAutoWatermarkInterval(settings.watermarkMillis());
    CollectingSink<RetrainTrigger> triggers = CollectingSink.of(name, t -> new Output("trigger|" + t.triggerId(), WrittenAt.without(t)));
    CollectingSink<Alert> alerts = CollectingSink.of(name, a -> new Output("alert|" + a.alertId(), WrittenAt.without(a)));
    CollectingSink<DeadLetter> deadLetters = CollectingSink.of(name, d -> new Output(
        "dead-letter|" + d.stage() + "|" + d.partition() + "|" + d.offset(), d.reason()));
    new RetrainTriggerJob(drift, performance,
        new RetrainTriggerJob.Outputs(List.of(NamedSink.of("collected", triggers)), List.of(NamedSink.of("collected", alerts)),
            deadLetters),
        new ModelRegistry(List.of(spec)), Duration.ofMinutes(1)).build(env);
    return env;
  }

  private static long count(String name, String kind) {
    return CollectingSink.outputs(name).stream().filter(o -> o.id().startsWith(kind)).count();
  }

  private static Decisions collected(String name) {
    List<Output> outputs = CollectingSink.outputs(name);
    return new Decisions(values(outputs, "trigger|"), values(outputs, "alert|"), values(outputs, "dead-letter|"));
  }

  private static List<String> values(List<Output> outputs, String kind) {
    List<String> out = new ArrayList<>();
    for (Output o : outputs) {
      if (o.id().startsWith(kind)) {
        out.add(kind.equals("dead-letter|") ? o.id() + ": " + o.value() : o.value());
      }
    }
    out.sort(null);
    return out;
  }
}
