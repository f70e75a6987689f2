package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.Label;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.window.Outcome;
import dev.driftline.runtime.kafka.Sourced;
import org.apache.flink.runtime.event.WatermarkEvent;
import org.apache.flink.streaming.api.graph.StreamConfig;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.LatencyMarker;
import org.apache.flink.streaming.runtime.streamrecord.RecordAttributes;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.StreamTask;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * Runs {@link LabelJoinFunction} with two watermarks, as the two halves of the job need them. Drift
 * windows close on prediction time alone, so the operator's watermark (what the first predictions
 * of {@link LabelJoinFunction#FIRST} go on with, and every output) is the predictions' input's.
 * The join itself (its expiries and timers) and performance wait for the labels too: their
 * watermark, the lower of the two inputs', goes out on the main output as a progress record
 * ({@link #progress(long)}) in order with the outcomes, and the performance bundles
 * ({@link WindowBundleOperator} with {@link PerformanceBundling}) take it as their watermark. So
 * every prediction makes one keyed pass (the duplicate check lives in the join's state), and a
 * labels topic that lags holds back performance only, as before.
 */
public final class LabelJoinOperator extends KeyedCoProcessOperator<String, Prediction, Sourced<Label>, Outcome> {
  private static final long serialVersionUID = 1L;
  /** A progress record's model id: no model has it (model ids are non-empty). */
  private static final String PROGRESS = "";

  private transient Output<StreamRecord<Outcome>> downstream;
  private transient long predictionsWatermark;

  public LabelJoinOperator(LabelJoinFunction join) {
    super(join);
  }

  /** A record on the main output saying the join's watermark reached {@code watermark}. */
  public static Outcome progress(long watermark) {
    return new Outcome(PROGRESS, null, null, watermark, Double.NaN, Double.NaN, false, Long.MIN_VALUE, null);
  }

  public static boolean isProgress(Outcome o) {
    return PROGRESS.equals(o.modelId());
  }

  @Override
  protected void setup(StreamTask<?, ?> containingTask, StreamConfig config, Output<StreamRecord<Outcome>> output) {
    this.downstream = output;
    this.predictionsWatermark = Long.MIN_VALUE;
    super.setup(containingTask, config, new JoinWatermarkAsRecords(output));
  }

  @Override
  public void processWatermark1(Watermark mark) throws Exception {
    super.processWatermark1(mark);
    if (mark.getTimestamp() > predictionsWatermark) {
      predictionsWatermark = mark.getTimestamp();
      downstream.emitWatermark(mark);
    }
  }

  @Override
  protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
    super.processWatermarkStatus(status, index);
    if (index == 0) {
      downstream.emitWatermarkStatus(status);
    }
  }

  /**
   * The output Flink's operator writes to: the join's (combined) watermark becomes a progress
   * record, its combined status goes nowhere; records and side outputs pass as they are.
   */
  private static final class JoinWatermarkAsRecords implements Output<StreamRecord<Outcome>> {
    private final Output<StreamRecord<Outcome>> out;

    JoinWatermarkAsRecords(Output<StreamRecord<Outcome>> out) {
      this.out = out;
    }

    @Override
    public void emitWatermark(Watermark mark) {
      out.collect(new StreamRecord<>(progress(mark.getTimestamp()), mark.getTimestamp()));
    }

    @Override
    public void emitWatermarkStatus(WatermarkStatus status) {
      // The predictions' status goes out from processWatermarkStatus.
    }

    @Override
    public <X> void collect(OutputTag<X> tag, StreamRecord<X> record) {
      out.collect(tag, record);
    }

    @Override
    public void emitLatencyMarker(LatencyMarker marker) {
      out.emitLatencyMarker(marker);
    }

    @Override
    public void emitRecordAttributes(RecordAttributes attributes) {
      out.emitRecordAttributes(attributes);
    }

    @Override
    public void emitWatermark(WatermarkEvent event) {
      out.emitWatermark(event);
    }

    @Override
    public void collect(StreamRecord<Outcome> record) {
      out.collect(record);
    }

    @Override
    public void close() {
      out.close();
    }
  }
}
