package dev.driftline.jobs.retraintrigger;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.RetrainTrigger;
import dev.driftline.jobs.retraintrigger.operators.PolicyFunction;
import dev.driftline.jobs.retraintrigger.operators.ResultDecoders;
import dev.driftline.runtime.deadletter.CountDeadLetters;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetters;
import dev.driftline.runtime.flink.NamedSink;
import dev.driftline.runtime.kafka.DecodeFunction;
import dev.driftline.runtime.kafka.RawRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;

/**
 * The retrain-trigger pipeline: reads the drift job's results, applies each model's policy per
 * (model, segment) and emits retrain triggers and alerts. Event time is a drift result's window end
 * and a performance update's point ({@code labels_until}); the policy takes both in that order, so a
 * replay decides exactly as the first run did: each (model, segment)'s results are taken once that
 * key's own results show nothing earlier can come ({@link PolicyFunction}), whatever the drift job's
 * subtasks interleave in a partition.
 */
public final class RetrainTriggerJob {
  private final Source<RawRecord, ?, ?> driftResults;
  private final Source<RawRecord, ?, ?> performance;
  private final Outputs outputs;
  private final ModelRegistry models;
  private final Duration idleTimeout;

  /** Where decisions go; each list may hold several sinks, each with its own name. */
  public record Outputs(List<NamedSink<RetrainTrigger>> triggers, List<NamedSink<Alert>> alerts, Sink<DeadLetter> deadLetters) {}

  /**
   * The operator uids: a savepoint's state is matched to operators by them, so they are a contract
   * with the next version (renaming one drops that operator's state, e.g. the policy's history, on
   * upgrade). A sink's uid is {@code <SINK>/<output>/<sink name>}, e.g. {@code trigger/sink/alerts/kafka}.
   */
  public static final class Uids {
    public static final String SOURCE_DRIFT_RESULTS = "trigger/source/drift-results";
    public static final String DECODE_DRIFT_RESULTS = "trigger/decode-drift-results";
    public static final String TIMESTAMPS_DRIFT_RESULTS = "trigger/timestamps-drift-results";
    public static final String SOURCE_PERFORMANCE = "trigger/source/performance";
    public static final String DECODE_PERFORMANCE = "trigger/decode-performance";
    public static final String REALIZED_PERFORMANCE = "trigger/realized-performance";
    public static final String TIMESTAMPS_PERFORMANCE = "trigger/timestamps-performance";
    public static final String POLICY = "trigger/policy";
    public static final String COUNT_DEAD_LETTERS = "trigger/count-dead-letters";
    public static final String SINK = "trigger/sink";
    public static final String SINK_TRIGGERS = SINK + "/retrain-triggers";
    public static final String SINK_ALERTS = SINK + "/alerts";
    public static final String SINK_DEAD_LETTERS = SINK + "/dead-letters";

    private Uids() {}
  }

  public RetrainTriggerJob(Source<RawRecord, ?, ?> driftResults, Source<RawRecord, ?, ?> performance, Outputs outputs,
      ModelRegistry models, Duration idleTimeout) {
    this.driftResults = driftResults;
    this.performance = performance;
    this.outputs = outputs;
    this.models = models;
    this.idleTimeout = idleTimeout;
  }

  /**
   * In an unbounded run, how far behind the newest result read (in event time) the watermark
   * trails: the longest window slide among the models (update points are multiples of the slide
   * too). The watermark matters only for a (model, segment) whose own results do not settle its
   * order (its results stopped, or come sparsely): its result is still taken in order if it
   * arrives less than this behind the newest result of its partition. Count-window models add
   * nothing: their windows end at no fixed slide.
   */
  public static Duration skewTolerance(ModelRegistry models) {
    Duration longest = Duration.ZERO;
    for (MonitorSpec spec : models.all()) {
      if (!spec.window().isCount() && spec.window().slide().compareTo(longest) > 0) {
        longest = spec.window().slide();
      }
    }
    return longest;
  }

  /** Event time from {@code time}; watermarks trailing it by {@code skew}, or none before the end of a bounded input. */
  private static <T> WatermarkStrategy<T> watermarks(boolean bounded, Duration skew, Duration idleTimeout,
      SerializableFunction<T, Long> time) {
    WatermarkStrategy<T> strategy = bounded ? WatermarkStrategy.noWatermarks()
        : WatermarkStrategy.<T>forBoundedOutOfOrderness(skew).withIdleness(idleTimeout);
    return strategy.withTimestampAssigner((r, t) -> time.apply(r));
  }

  public void build(StreamExecutionEnvironment env) {
    // Every operator has a uid (Uids): the job graph is refused if one is missing, rather than an
    // upgrade silently dropping that operator's state.
    env.getConfig().disableAutoGeneratedUIDs();
    SingleOutputStreamOperator<DriftResult> drift = env
        .fromSource(driftResults, WatermarkStrategy.noWatermarks(), "drift results")
        .uid(Uids.SOURCE_DRIFT_RESULTS)
        .process(new DecodeFunction<>("decode:drift-results", ResultDecoders.drift(models)).expecting(RecordSchema.DRIFT_RESULT))
        .returns(TypeInformation.of(DriftResult.class))
        .uid(Uids.DECODE_DRIFT_RESULTS)
        .name("decode drift results");
    SingleOutputStreamOperator<PerformanceResult> perf = env
        .fromSource(performance, WatermarkStrategy.noWatermarks(), "performance")
        .uid(Uids.SOURCE_PERFORMANCE)
        .process(new DecodeFunction<>("decode:performance", ResultDecoders.performance(models)).expecting(RecordSchema.PERFORMANCE))
        .returns(TypeInformation.of(PerformanceResult.class))
        .uid(Uids.DECODE_PERFORMANCE)
        .name("decode performance");

    // The policy takes each (model, segment)'s results in event-time order as soon as that key's
    // own results show nothing earlier can come (PolicyFunction); the watermark only settles keys
    // whose results stop or are sparse. In a bounded run (a replay to the topics' end) it comes at
    // the end of the input alone, so no interleaving of the drift job's subtasks in a partition can
    // pass a result by. In an unbounded run it trails the newest result by skewTolerance: the drift
    // job's subtasks write a model's segments into one partition side by side, so one segment's
    // window W may follow another's W+1. Idle partitions must not hold it back.
    boolean bounded = driftResults.getBoundedness() == Boundedness.BOUNDED && performance.getBoundedness() == Boundedness.BOUNDED;
    Duration skew = skewTolerance(models);
    DataStream<DriftResult> timedDrift = drift.assignTimestampsAndWatermarks(
        watermarks(bounded, skew, idleTimeout, (DriftResult r) -> Instant.parse(r.windowEnd()).toEpochMilli()))
        .uid(Uids.TIMESTAMPS_DRIFT_RESULTS);
    // The policy reads realized performance (which carries the window's estimate beside it); the
    // estimate's own document (estimated: true) would replace a window's realized one in its history.
    // Its event time is the update's point (labels_until): the drift job writes each segment's
    // updates in that order, the segments of a model side by side as with drift results.
    DataStream<PerformanceResult> timedPerf = perf.filter(r -> !r.estimated())
        .uid(Uids.REALIZED_PERFORMANCE).name("realized performance")
        .assignTimestampsAndWatermarks(watermarks(bounded, skew, idleTimeout, (PerformanceResult r) -> PolicyFunction.point(r)))
        .uid(Uids.TIMESTAMPS_PERFORMANCE);

    SingleOutputStreamOperator<RetrainTrigger> triggers = timedDrift.keyBy(r -> r.modelId() + "|" + r.segment())
        .connect(timedPerf.keyBy(r -> r.modelId() + "|" + r.segment()))
        .process(new PolicyFunction(models))
        .returns(TypeInformation.of(RetrainTrigger.class))
        .uid(Uids.POLICY)
        .name("policy");
    for (NamedSink<RetrainTrigger> sink : outputs.triggers()) {
      sink.attach(triggers, Uids.SINK_TRIGGERS, "retrain triggers");
    }
    DataStream<Alert> alerts = triggers.getSideOutput(PolicyFunction.ALERTS);
    for (NamedSink<Alert> sink : outputs.alerts()) {
      sink.attach(alerts, Uids.SINK_ALERTS, "alerts");
    }
    CountDeadLetters.counted(drift.getSideOutput(DeadLetters.TAG).union(perf.getSideOutput(DeadLetters.TAG)), Uids.COUNT_DEAD_LETTERS)
        .sinkTo(outputs.deadLetters()).uid(Uids.SINK_DEAD_LETTERS).name("dead letters");
  }
}
