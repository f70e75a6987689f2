package dev.driftline.jobs.driftdetection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.io.WrittenAt;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.jobs.driftdetection.operators.LabelJoinFunction;
import dev.driftline.jobs.driftdetection.operators.LabelledJson;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetterJson;
import dev.driftline.runtime.flink.NamedSink;
import dev.driftline.runtime.kafka.RawRecord;
import dev.driftline.services.CollectingSink.Output;
import dev.driftline.services.CollectingSink;
import dev.driftline.services.InMemorySource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;

/**
 * The drift job as production builds it ({@link DriftDetectionJob}) on generated traffic held in
 * memory and read as Kafka topics are ({@link InMemorySource}: each partition in order by one
 * subtask), run to the end of its input on the test class's MiniCluster, its outputs collected in
 * this JVM as the JSON the Kafka sinks would write. For the tests of the job's logic (windows,
 * joins, determinism), whose outcome does not depend on the real broker; {@link
 * DriftDetectionJobTest} runs the job on the real Kafka and Elasticsearch, {@link BoundedDriftJob}
 * for the tests that read what those services hold.
 *
 * <p>The MiniCluster comes from {@code @InjectMiniCluster} into {@code @BeforeAll}: an environment
 * made there without it would start a local cluster of its own for each run.
 */
final class InMemoryDriftRun {
  /** The outputs, each a list of records. */
  static final List<String> OUTPUTS = List.of("drift", "performance", "labelled", "dead-letters");

  private InMemoryDriftRun() {}

  /**
   * How a run is set up: its parallelism, bundle limits and checkpoint interval, and how many
   * partitions each input topic has (a record goes to the partition of its key's hash).
   */
  record Settings(int parallelism, int bundleRecords, int bundleEntries, long checkpointMillis, int partitions) {
    /** The defaults of the test MiniCluster and the job, checkpoints every 2 s, inputs of two partitions. */
    static Settings defaults() {
      return new Settings(2, DriftDetectionJob.BUNDLE_RECORDS, DriftDetectionJob.BUNDLE_ENTRIES, 2_000, 2);
    }
  }

  /**
   * Runs the job on {@code events} (predictions and labels; no baselines) to the end of its input;
   * returns each of {@link #OUTPUTS}' records as JSON text without the fields that say when it was
   * written, sorted.
   */
  static Map<String, List<String>> run(MiniCluster cluster, String name, Settings settings, MonitorSpec spec,
      Map<String, Baseline> profiles, List<TrafficEvent> events) throws Exception {
    return run(cluster, name, name, settings, spec, profiles, events);
  }

  /**
   * As {@link #run(MiniCluster, String, Settings, MonitorSpec, Map, List)}, the inputs named
   * {@code <topics>-predictions} and {@code <topics>-labels} (as dead letters name them): runs
   * that must write the same records read inputs of the same names.
   */
  static Map<String, List<String>> run(MiniCluster cluster, String name, String topics, Settings settings, MonitorSpec spec,
      Map<String, Baseline> profiles, List<TrafficEvent> events) throws Exception {
    List<List<RawRecord>> predictions = partitions(settings.partitions());
    List<List<RawRecord>> labels = partitions(settings.partitions());
    for (TrafficEvent e : events) {
      boolean prediction = e.type() == TrafficEvent.Type.PREDICTION;
      int p = Math.floorMod(e.key().hashCode(), settings.partitions());
      List<RawRecord> partition = (prediction ? predictions : labels).get(p);
      partition.add(new RawRecord(topics + (prediction ? "-predictions" : "-labels"), p, partition.size(), e.ts(),
          e.key().getBytes(StandardCharsets.UTF_8), e.json().getBytes(StandardCharsets.UTF_8)));
    }

    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, conf, settings.parallelism(), List.of(), List.of());
    env.enableCheckpointing(settings.checkpointMillis());
    ModelRegistry models = new ModelRegistry(List.of(spec));
    new DriftDetectionJob(
        InMemorySource.bounded(name + "/predictions", RawRecord.class, predictions),
        InMemorySource.bounded(name + "/labels", RawRecord.class, labels),
        InMemorySource.bounded(name + "/baselines", RawRecord.class, List.of(List.of())),
        new DriftDetectionJob.Outputs(
            List.of(NamedSink.of("collected", CollectingSink.<DriftResult>of(name + "/drift", r -> output(Json.bytes(r))))),
            List.of(NamedSink.of("collected", CollectingSink.<PerformanceResult>of(name + "/performance",
                r -> output(Json.bytes(r))))),
            List.of(NamedSink.of("collected", CollectingSink.<LabelJoinFunction.LabelledPrediction>of(name + "/labelled",
                lp -> output(LabelledJson.toJson(lp, models))))),
            CollectingSink.<DeadLetter>of(name + "/dead-letters", d -> output(DeadLetterJson.toJson(d)))),
        models, profiles)
        .withBundleLimits(settings.bundleRecords(), settings.bundleEntries())
        .build(env);
    env.execute("drift job, in memory: " + name);

    Map<String, List<String>> out = new HashMap<>();
    for (String output : OUTPUTS) {
      List<String> records = new ArrayList<>(CollectingSink.outputs(name + "/" + output).stream().map(Output::value).toList());
      records.sort(null);
      out.put(output, records);
    }
    return out;
  }

  /** {@code records} parsed. */
  static List<JsonNode> parsed(List<String> records) {
    List<JsonNode> out = new ArrayList<>();
    for (String r : records) {
      try {
        out.add(Json.mapper().readTree(r));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static List<List<RawRecord>> partitions(int n) {
    List<List<RawRecord>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    return out;
  }

  /** A record as written, as JSON text without the fields that say when it was written. */
  private static Output output(byte[] json) {
    try {
      return new Output("", WrittenAt.without(Json.mapper().readTree(json)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
