package dev.driftline.cli.savepoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.events.Label;
import dev.driftline.core.features.FeatureEvent;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.io.InputException;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.trigger.PolicyState;
import dev.driftline.core.window.PerformanceWindow;
import dev.driftline.core.window.WindowSummary;
import dev.driftline.jobs.driftdetection.DriftDetectionJob;
import dev.driftline.jobs.driftdetection.operators.LabelJoinFunction;
import dev.driftline.jobs.driftdetection.operators.MergePartials;
import dev.driftline.jobs.driftdetection.operators.PartialWindowAssigner;
import dev.driftline.jobs.driftdetection.operators.SegmentFanOut;
import dev.driftline.jobs.driftdetection.operators.WindowPartial;
import dev.driftline.jobs.driftdetection.state.JoinState;
import dev.driftline.jobs.driftdetection.state.Partials;
import dev.driftline.jobs.featurepipeline.FeaturePipelineJob;
import dev.driftline.jobs.featurepipeline.state.FeatureTypes;
import dev.driftline.jobs.retraintrigger.RetrainTriggerJob;
import dev.driftline.runtime.kafka.Sourced;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.api.functions.WindowReaderFunction;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * What a savepoint of one of the three jobs holds, read offline with Flink's State Processor API
 * (a local environment, the savepoint's own state as the jobs wrote it). The job is recognised by
 * the operator uids ({@code Uids} of each job) in the savepoint's metadata; the state is read with
 * the jobs' own serializers and state descriptors, so this reads exactly the layouts the current
 * version writes (and the older ones its serializers still read).
 *
 * <p>Times are event time (ISO-8601). Predictions waiting for labels are every pending prediction
 * in the join's state: one whose {@code labels.max_delay} the watermark has passed counts until its
 * key is next touched or its bytes expire (the join's time-to-live), as the job treats it.
 */
public final class SavepointContents {
  private SavepointContents() {}

  /** The job a savepoint belongs to, by the name its directories and docs use. */
  public enum Job {
    DRIFT_DETECTION("drift-detection"), RETRAIN_TRIGGER("retrain-trigger"), FEATURE_PIPELINE("feature-pipeline");

    public final String id;

    Job(String id) {
      this.id = id;
    }
  }

  /** Open windows of one (model, segment): how many, their predictions and the oldest and newest start. */
  public record Windows(String modelId, String segment, long open, long predictions, String oldestStart, String newestStart) {}

  /** Records of one model waiting in the label join: how many, and the oldest's event time. */
  public record Waiting(String modelId, long count, String oldest) {}

  /** The drift job's state. */
  public record Drift(List<Windows> driftWindows, List<Windows> performanceWindows, List<Waiting> predictionsWaiting,
      List<Waiting> labelsWaiting) {}

  /**
   * The trigger policy's memory of one (model, segment): the drift windows and performance windows
   * its K-of-N rules remember, each detector's state, whether it is armed, the last trigger's
   * window end and (with the model's spec) the end of its cooldown; drift windows and performance
   * updates that wait for the watermark.
   */
  public record Policy(String modelId, String segment, int driftWindowsInHistory, int performanceWindowsInHistory,
      Map<String, JsonNode> detectors, boolean armed, String lastTrigger, String cooldownUntil, int pendingDriftWindows,
      int pendingPerformanceUpdates) {}

  /** The feature pipeline's state of one view: entities held and their events waiting for the watermark. */
  public record View(String view, long entities, long pendingEvents) {}

  /** Everything read: the job and its part (the others null). */
  public record Contents(Job job, Drift drift, List<Policy> policies, List<View> views) {}

  /**
   * Reads the savepoint in {@code dir}. {@code specs} (optional) give cooldowns; {@code views}
   * (optional) name the feature pipeline's views (otherwise shown by their operator's uid hash).
   */
  public static Contents read(Path dir, Map<String, MonitorSpec> specs, List<FeatureView> views) throws Exception {
    if (!Files.isRegularFile(dir.resolve("_metadata"))) {
      throw new InputException(dir + ": not a savepoint (no _metadata file in it)");
    }
    String path = dir.toAbsolutePath().toUri().toString();
    CheckpointMetadata metadata;
    try {
      metadata = SavepointLoader.loadSavepointMetadata(path);
    } catch (IOException | RuntimeException e) {
      throw new InputException(dir + ": not a readable savepoint: " + e.getMessage());
    }
    Map<OperatorID, OperatorState> operators = new HashMap<>();
    metadata.getOperatorStates().forEach(s -> operators.put(s.getOperatorID(), s));
    Job job = recognise(operators.keySet());
    if (job == null) {
      throw new InputException(dir + ": not a savepoint of a Driftline job (none of the operator uids "
          + DriftDetectionJob.Uids.LABEL_JOIN + ", " + RetrainTriggerJob.Uids.POLICY + ", "
          + FeaturePipelineJob.Uids.SINK_DEAD_LETTERS + " in it)");
    }
    Configuration conf = new Configuration();
    conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    SavepointReader savepoint = SavepointReader.read(env, path);
    return switch (job) {
      case DRIFT_DETECTION -> new Contents(job, drift(env, savepoint), null, null);
      case RETRAIN_TRIGGER -> new Contents(job, null, policies(env, savepoint, specs), null);
      case FEATURE_PIPELINE -> new Contents(job, null, null, views(env, savepoint, operators, views));
    };
  }

  static Job recognise(java.util.Set<OperatorID> ids) {
    if (ids.contains(id(DriftDetectionJob.Uids.LABEL_JOIN)) || ids.contains(id(DriftDetectionJob.Uids.SUMMARIZE_WINDOWS))) {
      return Job.DRIFT_DETECTION;
    }
    if (ids.contains(id(RetrainTriggerJob.Uids.POLICY))) {
      return Job.RETRAIN_TRIGGER;
    }
    if (ids.contains(id(FeaturePipelineJob.Uids.SINK_DEAD_LETTERS)) || ids.contains(id(FeaturePipelineJob.Uids.COUNT_DEAD_LETTERS))) {
      return Job.FEATURE_PIPELINE;
    }
    return null;
  }

  private static OperatorID id(String uid) {
    return OperatorIdentifier.forUid(uid).getOperatorId();
  }

  /**
   * What a reader function emits for a key with nothing to report. Flink 2.2's keyed state source
   * ends its input at the first key whose reader emits nothing (once no split is left), so every
   * reader here emits at least one line per key; this one is dropped.
   */
  static final String NOTHING = "-";

  // ---- drift detection ----

  private static Drift drift(StreamExecutionEnvironment env, SavepointReader savepoint) throws Exception {
    DataStream<String> windows = savepoint.window(PartialWindowAssigner.<WindowSummary>eventTime())
        .aggregate(DriftDetectionJob.Uids.SUMMARIZE_WINDOWS, new MergePartials<WindowSummary>((into, other) -> into.merge(other)),
            new DriftWindowReader(), Types.STRING, Partials.drift(), Types.STRING);
    DataStream<String> performance = savepoint.readKeyedState(OperatorIdentifier.forUid(DriftDetectionJob.Uids.PERFORMANCE_WINDOWS),
        new PerformanceWindowReader(), Types.STRING, Types.STRING);
    DataStream<String> join = savepoint.readKeyedState(OperatorIdentifier.forUid(DriftDetectionJob.Uids.LABEL_JOIN),
        new JoinReader(), Types.STRING, Types.STRING);
    Map<String, List<long[]>> drift = new TreeMap<>();
    Map<String, List<long[]>> perf = new TreeMap<>();
    Map<String, List<Long>> predictions = new TreeMap<>();
    Map<String, List<Long>> labels = new TreeMap<>();
    for (String line : collect(windows.union(performance, join))) {
      String[] f = line.split("\t");
      switch (f[0]) {
        case "drift" -> drift.computeIfAbsent(f[1], k -> new ArrayList<>()).add(new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
        case "performance" -> perf.computeIfAbsent(f[1], k -> new ArrayList<>()).add(new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
        case "prediction" -> predictions.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Long.parseLong(f[2]));
        case "label" -> labels.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Long.parseLong(f[2]));
        case NOTHING -> { }
        default -> throw new IllegalStateException("unexpected state record: " + line);
      }
    }
    return new Drift(windows(drift), windows(perf), waiting(predictions), waiting(labels));
  }

  private static List<Windows> windows(Map<String, List<long[]>> byKey) {
    List<Windows> out = new ArrayList<>();
    byKey.forEach((key, list) -> {
      TreeSet<Long> starts = new TreeSet<>();
      long n = 0;
      for (long[] w : list) {
        starts.add(w[0]);
        n += w[1];
      }
      out.add(new Windows(SegmentFanOut.modelOf(key), SegmentFanOut.segmentOf(key), starts.size(), n, time(starts.first()),
          time(starts.last())));
    });
    return out;
  }

  private static List<Waiting> waiting(Map<String, List<Long>> byModel) {
    List<Waiting> out = new ArrayList<>();
    byModel.forEach((model, times) -> out.add(new Waiting(model, times.size(), time(times.stream().min(Long::compare).orElseThrow()))));
    return out;
  }

  /** A drift window (the window operator's state): key, start, predictions. */
  static final class DriftWindowReader extends WindowReaderFunction<WindowSummary, String, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void readWindow(String key, Context<TimeWindow> context, Iterable<WindowSummary> summaries, Collector<String> out) {
      long n = 0;
      for (WindowSummary s : summaries) {
        n += s == null ? 0 : s.count();
      }
      out.collect("drift\t" + key + "\t" + context.window().getStart() + "\t" + n);
    }
  }

  /** A performance window (emitted or waiting for its first point): key, start, predictions. */
  static final class PerformanceWindowReader extends KeyedStateReaderFunction<String, String> {
    private static final long serialVersionUID = 1L;
    private transient MapState<Long, WindowPartial<PerformanceWindow>> windows;
    private transient MapState<String, WindowPartial<PerformanceWindow>> pending;

    @Override
    public void open(OpenContext context) {
      windows = getRuntimeContext().getMapState(new MapStateDescriptor<>("performance-windows", Types.LONG, Partials.performance()));
      pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("performance-pending", Types.STRING, Partials.performance()));
    }

    @Override
    public void readKey(String key, Context context, Collector<String> out) throws Exception {
      Map<Long, Long> predictions = new TreeMap<>();
      for (Map.Entry<Long, WindowPartial<PerformanceWindow>> e : windows.entries()) {
        predictions.merge(e.getKey(), e.getValue().summary().predictions(), Long::sum);
      }
      for (WindowPartial<PerformanceWindow> p : pending.values()) {
        predictions.merge(p.start(), p.summary().predictions(), Long::sum);
      }
      predictions.forEach((start, n) -> out.collect("performance\t" + key + "\t" + start + "\t" + n));
      if (predictions.isEmpty()) {
        out.collect(NOTHING);
      }
    }
  }

  /** The join's state of one prediction id: a prediction waiting for its label, or a label waiting for its prediction. */
  static final class JoinReader extends KeyedStateReaderFunction<String, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<LabelJoinFunction.Pending> pending;
    private transient ValueState<Sourced<Label>> waitingLabel;

    @Override
    public void open(OpenContext context) {
      ValueStateDescriptor<LabelJoinFunction.Pending> descriptor = new ValueStateDescriptor<>("join-prediction", JoinState.pendingTypeInfo());
      // As the job declares it (time-to-live), but showing what the savepoint holds whatever the wall clock says.
      descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(36_500))
          .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
          .setStateVisibility(StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp)
          .build());
      pending = getRuntimeContext().getState(descriptor);
      waitingLabel = getRuntimeContext().getState(new ValueStateDescriptor<>("join-waiting-label", JoinState.labelTypeInfo()));
    }

    @Override
    public void readKey(String predictionId, Context context, Collector<String> out) throws Exception {
      LabelJoinFunction.Pending p = pending.value();
      if (p != null && !p.joined()) {
        out.collect("prediction\t" + p.prediction().modelId() + "\t" + p.prediction().timestamp());
      }
      Sourced<Label> waiting = waitingLabel.value();
      Label l = waiting == null ? null : waiting.value();
      if (l != null) {
        out.collect("label\t" + l.modelId() + "\t" + l.timestamp());
      }
      if ((p == null || p.joined()) && l == null) {
        out.collect(NOTHING);
      }
    }
  }

  // ---- retrain trigger ----

  private static List<Policy> policies(StreamExecutionEnvironment env, SavepointReader savepoint, Map<String, MonitorSpec> specs)
      throws Exception {
    DataStream<String> policies = savepoint.readKeyedState(OperatorIdentifier.forUid(RetrainTriggerJob.Uids.POLICY),
        new PolicyReader(), Types.STRING, Types.STRING);
    List<Policy> out = new ArrayList<>();
    for (String line : new TreeSet<>(collect(policies))) {
      String[] f = line.split("\t", 4);
      String model = f[0].substring(0, f[0].indexOf('|'));
      String segment = f[0].substring(f[0].indexOf('|') + 1);
      PolicyState s = f[3].isEmpty() ? new PolicyState() : Json.mapper().readValue(f[3], PolicyState.class);
      boolean triggered = s.lastTrigger != Long.MIN_VALUE;
      MonitorSpec spec = specs.get(model);
      String cooldownUntil = triggered && spec != null ? time(s.lastTrigger + spec.policy().cooldown().toMillis()) : null;
      out.add(new Policy(model, segment, s.datasetDrift.size(), s.performance.size(), new LinkedHashMap<>(s.detectors), s.armed,
          triggered ? time(s.lastTrigger) : null, cooldownUntil, Integer.parseInt(f[1]), Integer.parseInt(f[2])));
    }
    return out;
  }

  /** The policy's keyed state of one (model, segment): key, pending drift windows, pending performance updates, policy JSON. */
  static final class PolicyReader extends KeyedStateReaderFunction<String, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<byte[]> policy;
    private transient MapState<Long, byte[]> pending;
    private transient MapState<Long, byte[]> pendingPerformance;

    @Override
    public void open(OpenContext context) {
      TypeInformation<byte[]> bytes = PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
      policy = getRuntimeContext().getState(new ValueStateDescriptor<>("policy", bytes));
      pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-drift-windows", Types.LONG, bytes));
      pendingPerformance = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-performance", Types.LONG, bytes));
    }

    @Override
    public void readKey(String key, Context context, Collector<String> out) throws Exception {
      int windows = 0;
      for (Long ignored : pending.keys()) {
        windows++;
      }
      int updates = 0;
      for (byte[] due : pendingPerformance.values()) {
        updates += Json.mapper().readTree(due).size();
      }
      byte[] state = policy.value();
      out.collect(key + "\t" + windows + "\t" + updates + "\t" + (state == null ? "" : new String(state, java.nio.charset.StandardCharsets.UTF_8)));
    }
  }

  // ---- feature pipeline ----

  private static List<View> views(StreamExecutionEnvironment env, SavepointReader savepoint, Map<OperatorID, OperatorState> operators,
      List<FeatureView> views) throws Exception {
    Map<OperatorID, String> names = new HashMap<>();
    for (FeatureView v : views) {
      names.put(id(FeaturePipelineJob.Uids.features(v)), v.name());
    }
    List<View> out = new ArrayList<>();
    List<OperatorID> keyed = operators.values().stream().filter(SavepointContents::hasKeyedState).map(OperatorState::getOperatorID)
        .sorted(java.util.Comparator.comparing(OperatorID::toHexString)).toList();
    for (OperatorID operator : keyed) {
      DataStream<String> entities = savepoint.readKeyedState(OperatorIdentifier.forUidHash(operator.toHexString()), new EntityReader(),
          Types.STRING, Types.STRING);
      long count = 0;
      long pending = 0;
      for (String line : collect(entities)) {
        count++;
        pending += Long.parseLong(line);
      }
      out.add(new View(names.getOrDefault(operator, "uid hash " + operator.toHexString()), count, pending));
    }
    out.sort(java.util.Comparator.comparing(View::view));
    return out;
  }

  private static boolean hasKeyedState(OperatorState s) {
    for (OperatorSubtaskState subtask : s.getStates()) {
      if (subtask.getManagedKeyedState().hasState()) {
        return true;
      }
    }
    return false;
  }

  /** One entity of a view: its events waiting for the watermark. */
  static final class EntityReader extends KeyedStateReaderFunction<String, String> {
    private static final long serialVersionUID = 1L;
    private transient ListState<FeatureEvent> pending;

    @Override
    public void open(OpenContext context) {
      getRuntimeContext().getState(new ValueStateDescriptor<>("features", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
      getRuntimeContext().getState(new ValueStateDescriptor<>("newest", Types.LONG));
      pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending", FeatureTypes.events()));
    }

    @Override
    public void readKey(String entity, Context context, Collector<String> out) throws Exception {
      long n = 0;
      for (FeatureEvent ignored : pending.get()) {
        n++;
      }
      out.collect(Long.toString(n));
    }
  }

  /**
   * Runs the reading job on the local environment and returns what it emitted. Through a sink into
   * this JVM's memory, not {@code executeAndCollect}: a local job's collect fetcher may find its
   * MiniCluster already shut down at the end and warn that data might be lost.
   */
  private static List<String> collect(DataStream<String> stream) throws Exception {
    String run = java.util.UUID.randomUUID().toString();
    LocalSink.RUNS.put(run, java.util.Collections.synchronizedList(new ArrayList<>()));
    try {
      stream.sinkTo(new LocalSink(run)).name("inspect");
      stream.getExecutionEnvironment().execute("driftline savepoint inspect");
      return new ArrayList<>(LocalSink.RUNS.get(run));
    } finally {
      LocalSink.RUNS.remove(run);
    }
  }

  /** Keeps what it receives in this JVM, under a run id (the local environment runs in this JVM). */
  static final class LocalSink implements org.apache.flink.api.connector.sink2.Sink<String> {
    private static final long serialVersionUID = 1L;
    static final Map<String, List<String>> RUNS = new java.util.concurrent.ConcurrentHashMap<>();
    private final String run;

    LocalSink(String run) {
      this.run = run;
    }

    @Override
    public org.apache.flink.api.connector.sink2.SinkWriter<String> createWriter(
        org.apache.flink.api.connector.sink2.WriterInitContext context) {
      List<String> list = RUNS.get(run);
      return new org.apache.flink.api.connector.sink2.SinkWriter<>() {
        @Override
        public void write(String element, Context c) {
          list.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  private static String time(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
