package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.Label;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.window.Outcome;
import dev.driftline.jobs.driftdetection.state.PredictionSerializer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import dev.driftline.connectors.metrics.DriftlineMetric;
import dev.driftline.connectors.metrics.MetricFamily;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Joins predictions with their labels by prediction id, in either arrival order. Every prediction
 * is announced at once (for label coverage); its label follows when it arrives. State is bounded:
 * each side waits at most the model's {@code labels.max_delay} of event time after its own
 * timestamp, then is dropped — a label left without its prediction goes to {@link #UNMATCHED}.
 * Keyed by prediction id.
 */
public final class LabelJoinFunction extends KeyedCoProcessFunction<String, Prediction, Label, Outcome> {
  private static final long serialVersionUID = 1L;
  public static final OutputTag<Label> UNMATCHED = new OutputTag<>("unmatched-labels", TypeInformation.of(Label.class));
  public static final OutputTag<Label> DUPLICATE = new OutputTag<>("duplicate-labels", TypeInformation.of(Label.class));
  /** Every prediction with its label, features included: the training data of the next model. */
  public static final OutputTag<LabelledPrediction> LABELLED =
      new OutputTag<>("labelled-predictions", TypeInformation.of(LabelledPrediction.class));

  private final ModelRegistry models;
  /** One state per prediction id, so each record costs one read and at most one write. */
  private transient ValueState<Slot> slot;
  private transient MetricFamily<Counter> unmatchedLabels;
  private transient MetricFamily<Counter> duplicateLabels;
  private transient Counter joinedCount;

  /** A joined prediction and its label. */
  public record LabelledPrediction(Prediction prediction, double label, long labelTimestamp) {}

  /**
   * What is known of one prediction id: the prediction waiting for its label, or the label waiting
   * for its prediction, or that the two have met ({@code joined}, kept until the expiry timer so a
   * replayed duplicate is recognised).
   */
  public record Slot(Prediction prediction, Label label, boolean joined) {
    public static final Slot JOINED = new Slot(null, null, true);
  }

  public LabelJoinFunction(ModelRegistry models) {
    this.models = models;
  }

  @Override
  public void open(OpenContext context) {
    slot = getRuntimeContext().getState(new ValueStateDescriptor<>("join", PredictionSerializer.slotTypeInfo()));
    unmatchedLabels = MetricFamily.counters(DriftlineMetric.LABELS_UNMATCHED, getRuntimeContext().getMetricGroup());
    duplicateLabels = MetricFamily.counters(DriftlineMetric.LABELS_DUPLICATE, getRuntimeContext().getMetricGroup());
    joinedCount = getRuntimeContext().getMetricGroup().counter("joinedLabels");
  }

  @Override
  public void processElement1(Prediction p, Context ctx, Collector<Outcome> out) throws Exception {
    Slot s = slot.value();
    if (s != null && (s.prediction() != null || s.joined())) {
      return; // cannot pass FirstPredictionFunction upstream, which made it a dead letter; never counted twice
    }
    Label waiting = s == null ? null : s.label();
    // Too far apart in event time, they do not join: whether the label's expiry timer fired before
    // the prediction came would depend on timing. The label stays to expire as unmatched.
    Label known = waiting != null && withinDelay(p, waiting) ? waiting : null;
    out.collect(new Outcome(p.modelId(), p.segment(), p.predictionId(), p.timestamp(), p.score(),
        known == null ? Double.NaN : known.value(), true, known == null ? Long.MIN_VALUE : known.timestamp()));
    if (known != null) {
      joinedCount.inc();
      ctx.output(LABELLED, new LabelledPrediction(p, known.value(), known.timestamp()));
      slot.update(Slot.JOINED);
    } else {
      slot.update(new Slot(p, waiting, false));
    }
    ctx.timerService().registerEventTimeTimer(p.timestamp() + maxDelay(p.modelId()));
  }

  @Override
  public void processElement2(Label l, Context ctx, Collector<Outcome> out) throws Exception {
    Slot s = slot.value();
    Prediction p = s == null ? null : s.prediction();
    if (p != null && !withinDelay(p, l)) {
      // Too far apart in event time: whether the prediction's expiry timer fired first would depend on timing.
      slot.update(new Slot(p, l, false));
      ctx.timerService().registerEventTimeTimer(l.timestamp() + maxDelay(l.modelId()));
    } else if (p != null) {
      out.collect(new Outcome(p.modelId(), p.segment(), ctx.getCurrentKey(), p.timestamp(), p.score(), l.value(), false,
          l.timestamp()));
      ctx.output(LABELLED, new LabelledPrediction(p, l.value(), l.timestamp()));
      joinedCount.inc();
      if (s.label() != null) {
        // A label too far from the prediction waited beside it; it would have expired unmatched.
        unmatchedLabels.get(s.label().modelId()).inc();
        ctx.output(UNMATCHED, s.label());
      }
      slot.update(Slot.JOINED);
    } else if (s != null) {
      duplicateLabels.get(l.modelId()).inc();
      ctx.output(DUPLICATE, l);
    } else {
      slot.update(new Slot(null, l, false));
      ctx.timerService().registerEventTimeTimer(l.timestamp() + maxDelay(l.modelId()));
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Outcome> out) throws Exception {
    Slot s = slot.value();
    if (s == null) {
      return;
    }
    Label waiting = s.label();
    if (waiting != null && waiting.timestamp() + maxDelay(waiting.modelId()) <= timestamp) {
      unmatchedLabels.get(waiting.modelId()).inc();
      ctx.output(UNMATCHED, waiting);
      waiting = null;
    }
    Prediction p = s.prediction();
    if (p != null && p.timestamp() + maxDelay(p.modelId()) <= timestamp) {
      p = null; // its label never came within the delay: it stays unlabelled
    }
    if (p == null && waiting == null) {
      slot.clear();
    } else if (p != s.prediction() || waiting != s.label()) {
      slot.update(new Slot(p, waiting, s.joined()));
    }
  }

  /**
   * True when neither of the two expired before the other arrived: each is within
   * {@code labels.max_delay} of the other's event time. Decided on event times alone, so the join is
   * the same whichever arrives first and however far the watermark has moved.
   */
  private boolean withinDelay(Prediction p, Label l) {
    long delay = maxDelay(p.modelId());
    return l.timestamp() <= p.timestamp() + delay && p.timestamp() <= l.timestamp() + delay;
  }

  private long maxDelay(String modelId) {
    MonitorSpec spec = models.get(modelId);
    return spec.maxLabelDelay().toMillis();
  }
}
