package dev.driftline.jobs.featurepipeline;

import dev.driftline.connectors.deadletter.CountDeadLetters;
import dev.driftline.connectors.deadletter.DeadLetter;
import dev.driftline.connectors.deadletter.DeadLetters;
import dev.driftline.connectors.kafka.DecodeFunction;
import dev.driftline.connectors.kafka.RawRecord;
import dev.driftline.core.features.FeatureEvent;
import dev.driftline.core.features.FeatureEventDecoder;
import dev.driftline.core.features.FeatureRecord;
import dev.driftline.core.features.FeatureView;
import dev.driftline.jobs.featurepipeline.operators.FeatureAggregator;
import dev.driftline.jobs.featurepipeline.operators.RawEventTime;
import dev.driftline.jobs.featurepipeline.state.FeatureTypes;
import dev.driftline.core.schema.RecordSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The feature pipeline: per view, raw events from its topic (event time and watermarks per Kafka
 * partition) → decode (bad events to dead letters) → per-entity sliding aggregates
 * ({@link FeatureAggregator}) → one feature record per update to the view's sinks (the log topic
 * and the online index). Sources and sinks come from outside, so tests run exactly this pipeline.
 */
public final class FeaturePipelineJob {
  private final List<FeatureView> views;
  private final Function<FeatureView, Source<RawRecord, ?, ?>> sources;
  private final Outputs outputs;

  /** Where a view's records go (e.g. its log topic and its index), and the dead letters of every view. */
  public record Outputs(Function<FeatureView, List<Sink<FeatureRecord>>> features, Sink<DeadLetter> deadLetters) {}

  public FeaturePipelineJob(List<FeatureView> views, Function<FeatureView, Source<RawRecord, ?, ?>> sources, Outputs outputs) {
    Set<String> names = new HashSet<>();
    for (FeatureView v : views) {
      if (!names.add(v.name())) {
        throw new IllegalArgumentException("feature view \"" + v.name() + "\" given twice");
      }
    }
    if (views.isEmpty()) {
      throw new IllegalArgumentException("expected at least one feature view");
    }
    this.views = List.copyOf(views);
    this.sources = sources;
    this.outputs = outputs;
  }

  /** Adds the pipeline to {@code env}; the caller executes it. */
  public void build(StreamExecutionEnvironment env) {
    List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
    for (FeatureView view : views) {
      FeatureEventDecoder decoder = new FeatureEventDecoder(view);
      WatermarkStrategy<RawRecord> watermarks = WatermarkStrategy
          .<RawRecord>forBoundedOutOfOrderness(view.maxOutOfOrderness())
          .withTimestampAssigner(new RawEventTime(decoder))
          .withIdleness(view.idleTimeout());
      SingleOutputStreamOperator<FeatureEvent> events = env
          .fromSource(sources.apply(view), watermarks, "events " + view.topic() + " (" + view.name() + ")")
          .uid("source-" + view.name())
          .process(new DecodeFunction<>("decode:" + view.name(), decoder).expecting(RecordSchema.FEATURE_EVENT))
          .returns(FeatureTypes.events())
          .uid("decode-" + view.name())
          .name("decode " + view.name());
      SingleOutputStreamOperator<FeatureRecord> records = events
          .keyBy(e -> e.entity())
          .process(new FeatureAggregator(view))
          .returns(FeatureTypes.records())
          .uid("features-" + view.name())
          .name("features " + view.name());
      for (Sink<FeatureRecord> sink : outputs.features().apply(view)) {
        records.sinkTo(sink).name(view.name() + ": " + sink.getClass().getSimpleName());
      }
      deadLetters.add(events.getSideOutput(DeadLetters.TAG));
      deadLetters.add(records.getSideOutput(FeatureAggregator.LATE));
    }
    DataStream<DeadLetter> all = deadLetters.get(0);
    for (int i = 1; i < deadLetters.size(); i++) {
      all = all.union(deadLetters.get(i));
    }
    CountDeadLetters.counted(all).sinkTo(outputs.deadLetters()).name("dead letters");
  }
}
