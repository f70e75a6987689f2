package dev.driftline.jobs.retraintrigger;

import dev.driftline.connectors.deadletter.CountDeadLetters;
import dev.driftline.connectors.deadletter.DeadLetter;
import dev.driftline.connectors.deadletter.DeadLetters;
import dev.driftline.connectors.kafka.DecodeFunction;
import dev.driftline.connectors.kafka.RawRecord;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.RetrainTrigger;
import dev.driftline.core.window.DriftResult;
import dev.driftline.core.window.PerformanceResult;
import dev.driftline.jobs.retraintrigger.operators.PolicyFunction;
import dev.driftline.jobs.retraintrigger.operators.ResultDecoders;
import dev.driftline.core.schema.RecordSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The retrain-trigger pipeline: reads the drift job's results, applies each model's policy per
 * (model, segment) and emits retrain triggers and alerts. Event time is a drift result's window end
 * and a performance update's point ({@code labels_until}); the policy takes both in that order, so a
 * replay decides exactly as the first run did.
 */
public final class RetrainTriggerJob {
  private final Source<RawRecord, ?, ?> driftResults;
  private final Source<RawRecord, ?, ?> performance;
  private final Outputs outputs;
  private final ModelRegistry models;
  private final Duration idleTimeout;

  /** Where decisions go; each list may hold several sinks. */
  public record Outputs(List<Sink<RetrainTrigger>> triggers, List<Sink<Alert>> alerts, Sink<DeadLetter> deadLetters) {}

  public RetrainTriggerJob(Source<RawRecord, ?, ?> driftResults, Source<RawRecord, ?, ?> performance, Outputs outputs,
      ModelRegistry models, Duration idleTimeout) {
    this.driftResults = driftResults;
    this.performance = performance;
    this.outputs = outputs;
    this.models = models;
    this.idleTimeout = idleTimeout;
  }

  public void build(StreamExecutionEnvironment env) {
    SingleOutputStreamOperator<DriftResult> drift = env
        .fromSource(driftResults, WatermarkStrategy.noWatermarks(), "drift results")
        .process(new DecodeFunction<>("decode:drift-results", ResultDecoders.drift(models)).expecting(RecordSchema.DRIFT_RESULT))
        .returns(TypeInformation.of(DriftResult.class))
        .name("decode drift results");
    SingleOutputStreamOperator<PerformanceResult> perf = env
        .fromSource(performance, WatermarkStrategy.noWatermarks(), "performance")
        .process(new DecodeFunction<>("decode:performance", ResultDecoders.performance(models)).expecting(RecordSchema.PERFORMANCE))
        .returns(TypeInformation.of(PerformanceResult.class))
        .name("decode performance");

    // A window's results all arrive together when it closes, so the watermark may follow the
    // newest window end closely; idle partitions must not hold it back.
    DataStream<DriftResult> timedDrift = drift.assignTimestampsAndWatermarks(
        WatermarkStrategy.<DriftResult>forMonotonousTimestamps()
            .withTimestampAssigner((r, t) -> Instant.parse(r.windowEnd()).toEpochMilli())
            .withIdleness(idleTimeout));
    // The policy reads realized performance (which carries the window's estimate beside it); the
    // estimate's own document (estimated: true) would replace a window's realized one in its history.
    // Its event time is the update's point (labels_until): the drift job writes updates in that order.
    DataStream<PerformanceResult> timedPerf = perf.filter(r -> !r.estimated()).name("realized performance")
        .assignTimestampsAndWatermarks(
        WatermarkStrategy.<PerformanceResult>forMonotonousTimestamps()
            .withTimestampAssigner((r, t) -> PolicyFunction.point(r))
            .withIdleness(idleTimeout));

    SingleOutputStreamOperator<RetrainTrigger> triggers = timedDrift.keyBy(r -> r.modelId() + "|" + r.segment())
        .connect(timedPerf.keyBy(r -> r.modelId() + "|" + r.segment()))
        .process(new PolicyFunction(models))
        .returns(TypeInformation.of(RetrainTrigger.class))
        .name("policy");
    for (Sink<RetrainTrigger> sink : outputs.triggers()) {
      triggers.sinkTo(sink).name("retrain triggers: " + sink.getClass().getSimpleName());
    }
    DataStream<Alert> alerts = triggers.getSideOutput(PolicyFunction.ALERTS);
    for (Sink<Alert> sink : outputs.alerts()) {
      alerts.sinkTo(sink).name("alerts: " + sink.getClass().getSimpleName());
    }
    CountDeadLetters.counted(drift.getSideOutput(DeadLetters.TAG).union(perf.getSideOutput(DeadLetters.TAG)))
        .sinkTo(outputs.deadLetters()).name("dead letters");
  }
}
