package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.Label;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.window.Outcome;
import dev.driftline.jobs.driftdetection.state.JoinState;
import dev.driftline.jobs.driftdetection.state.PredictionSerializer;
import dev.driftline.runtime.kafka.Sourced;
import dev.driftline.runtime.metrics.DriftlineMetric;
import dev.driftline.runtime.metrics.MetricFamily;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Joins predictions with their labels by prediction id, in either arrival order, and keeps the
 * first prediction of each id: the one keyed pass every prediction makes. A prediction whose id the
 * state already holds (waiting, joined, or seen) goes to {@link #DUPLICATE_PREDICTIONS}, so a
 * replayed or colliding id is counted once, in drift and in performance alike; every other goes on
 * to drift ({@link #FIRST}) and is announced at once to performance (for label coverage); its label
 * follows when it arrives. A model with {@code labels: none} has no labels here (they are dead
 * letters before the join): its predictions leave only a mark of their id. Each side waits at most
 * the model's {@code labels.max_delay} of event time after its own timestamp: a label left without
 * its prediction goes to {@link #UNMATCHED}, a second label of a prediction to {@link #DUPLICATE}.
 * Keyed by prediction id. Labels come with their source record ({@link Sourced}), which a waiting
 * label keeps in state, so that both kinds of dead letter keep the label's original bytes and
 * position (a label is a few hundred bytes, and few wait: most come after their prediction).
 *
 * <p>A prediction costs two state reads (is its id known? is a label waiting?), one write, and no
 * timer. Its expiry emits nothing, so it is decided when the state is next read: a {@link Pending}
 * whose {@code expiresAt} the watermark has reached counts as absent for a label, exactly as if a
 * timer at that time had cleared it (for a second prediction it still counts: the id was seen). The
 * bytes are dropped by state time-to-live (processing time, RocksDB's compaction filter or the heap
 * backend's incremental cleanup) after twice the longest {@code labels.max_delay}, which is also how
 * long an id is remembered; a job that falls further behind than that in processing time loses
 * waiting predictions early, and their labels become unmatched dead letters. A waiting label must
 * be emitted when it expires, so it keeps an event-time timer, in a state without time-to-live;
 * that timer is deleted when its prediction comes. Run by {@link LabelJoinOperator}, which gives
 * drift the predictions' watermark and performance the join's.
 */
public final class LabelJoinFunction extends KeyedCoProcessFunction<String, Prediction, Sourced<Label>, Outcome> {
  private static final long serialVersionUID = 3L;
  /** The first prediction of each id, to drift. */
  public static final OutputTag<Prediction> FIRST = new OutputTag<>("first-predictions", PredictionSerializer.typeInfo());
  /** A prediction whose id was seen before: a dead letter, counted nowhere. */
  public static final OutputTag<Prediction> DUPLICATE_PREDICTIONS =
      new OutputTag<>("duplicate-predictions", PredictionSerializer.typeInfo());
  public static final OutputTag<Sourced<Label>> UNMATCHED = new OutputTag<>("unmatched-labels", JoinState.labelTypeInfo());
  public static final OutputTag<Sourced<Label>> DUPLICATE = new OutputTag<>("duplicate-labels", JoinState.labelTypeInfo());
  /** Every prediction with its label, features included: the training data of the next model. */
  public static final OutputTag<LabelledPrediction> LABELLED =
      new OutputTag<>("labelled-predictions", TypeInformation.of(LabelledPrediction.class));

  private final ModelRegistry models;
  /** How long the bytes of a pending prediction or joined mark are kept (processing time). */
  private final Duration keep;
  private transient ValueState<Pending> pending;
  private transient ValueState<Sourced<Label>> waitingLabel;
  private transient MetricFamily<Counter> unmatchedLabels;
  private transient MetricFamily<Counter> duplicateLabels;
  private transient Counter joinedCount;
  private transient Counter duplicatePredictions;

  /** A joined prediction and its label. */
  public record LabelledPrediction(Prediction prediction, double label, long labelTimestamp) {}

  /**
   * A prediction waiting for its label, or ({@code prediction} null) the mark that its label came,
   * kept so that a second label is recognised. Either ends when the watermark reaches
   * {@code expiresAt} (event-time millis).
   */
  public record Pending(Prediction prediction, long expiresAt) {
    public boolean joined() {
      return prediction == null;
    }
  }

  /** What the performance windows learn of a prediction whose label is not (yet) known. */
  private static Outcome announce(Prediction p) {
    return outcome(p, p.predictionId(), Double.NaN, true, Long.MIN_VALUE);
  }

  /** What the performance windows learn of prediction {@code p} (id {@code id}) and its label (NaN: none). */
  private static Outcome outcome(Prediction p, String id, double label, boolean countsAsPrediction, long labelTimestamp) {
    return new Outcome(p.modelId(), p.segment(), id, p.timestamp(), p.score(), label, countsAsPrediction, labelTimestamp,
        p.classScores());
  }

  public LabelJoinFunction(ModelRegistry models) {
    this.models = models;
    this.keep = keep(models);
  }

  /**
   * How long a pending prediction's bytes, a joined mark and a seen id are kept: twice the longest
   * {@code labels.max_delay} of the models with labels; when none has labels, only ids are kept,
   * for the longest {@code labels.max_delay} of all (as the duplicate check of 0.1.x kept them).
   */
  static Duration keep(ModelRegistry models) {
    boolean anyLabelled = models.all().stream().anyMatch(MonitorSpec::labelled);
    Duration longest = Duration.ofMillis(1);
    for (MonitorSpec spec : models.all()) {
      if (spec.labelled() || !anyLabelled) {
        longest = spec.maxLabelDelay().compareTo(longest) > 0 ? spec.maxLabelDelay() : longest;
      }
    }
    return anyLabelled ? longest.multipliedBy(2) : longest;
  }

  @Override
  public void open(OpenContext context) {
    ValueStateDescriptor<Pending> pendingDescriptor = new ValueStateDescriptor<>("join-prediction", JoinState.pendingTypeInfo());
    pendingDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(keep)
        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
        .cleanupInRocksdbCompactFilter(1_000)
        .cleanupIncrementally(10, false)
        .build());
    pending = getRuntimeContext().getState(pendingDescriptor);
    waitingLabel = getRuntimeContext().getState(new ValueStateDescriptor<>("join-waiting-label", JoinState.labelTypeInfo()));
    unmatchedLabels = MetricFamily.counters(DriftlineMetric.LABELS_UNMATCHED, getRuntimeContext().getMetricGroup());
    duplicateLabels = MetricFamily.counters(DriftlineMetric.LABELS_DUPLICATE, getRuntimeContext().getMetricGroup());
    joinedCount = getRuntimeContext().getMetricGroup().counter("joinedLabels");
    duplicatePredictions = getRuntimeContext().getMetricGroup().counter("duplicatePredictions");
  }

  @Override
  public void processElement1(Prediction p, Context ctx, Collector<Outcome> out) throws Exception {
    if (pending.value() != null) {
      duplicatePredictions.inc();
      ctx.output(DUPLICATE_PREDICTIONS, p);
      return;
    }
    ctx.output(FIRST, p);
    long watermark = ctx.timerService().currentWatermark();
    if (!models.get(p.modelId()).labelled()) {
      out.collect(announce(p));
      pending.update(new Pending(null, after(watermark)));
      return;
    }
    // A timer at a time the watermark has passed fires at the next watermark: the same here.
    long expiresAt = Math.max(p.timestamp() + maxDelay(p.modelId()), after(watermark));
    Sourced<Label> waiting = waitingLabel.value();
    Label known = waiting == null ? null : waiting.value();
    // A label too far from this prediction in event time does not join it (whether its deadline
    // passed before the prediction came would depend on timing): it stays, to expire unmatched.
    if (known == null || !withinDelay(p, known)) {
      out.collect(announce(p));
      pending.update(new Pending(p, expiresAt));
      return;
    }
    out.collect(outcome(p, p.predictionId(), known.value(), true, known.timestamp()));
    joinedCount.inc();
    ctx.output(LABELLED, new LabelledPrediction(p, known.value(), known.timestamp()));
    long labelDeadline = deadline(known);
    waitingLabel.clear();
    ctx.timerService().deleteEventTimeTimer(labelDeadline);
    // The mark ends when the first of the two sides would have expired.
    pending.update(new Pending(null, Math.max(Math.min(labelDeadline, expiresAt), after(watermark))));
  }

  @Override
  public void processElement2(Sourced<Label> sourced, Context ctx, Collector<Outcome> out) throws Exception {
    Label l = sourced.value();
    Pending s = pending.value();
    if (s != null && s.expiresAt() <= ctx.timerService().currentWatermark()) {
      s = null;
    }
    if (s != null && !s.joined() && withinDelay(s.prediction(), l)) {
      Prediction p = s.prediction();
      out.collect(outcome(p, ctx.getCurrentKey(), l.value(), false, l.timestamp()));
      ctx.output(LABELLED, new LabelledPrediction(p, l.value(), l.timestamp()));
      joinedCount.inc();
      pending.update(new Pending(null, s.expiresAt()));
    } else if (s != null && s.joined() || waitingLabel.value() != null) {
      duplicateLabels.get(l.modelId()).inc();
      ctx.output(DUPLICATE, sourced);
    } else {
      waitingLabel.update(sourced);
      ctx.timerService().registerEventTimeTimer(deadline(l));
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Outcome> out) throws Exception {
    Sourced<Label> waiting = waitingLabel.value();
    if (waiting != null && deadline(waiting.value()) <= timestamp) {
      unmatchedLabels.get(waiting.value().modelId()).inc();
      ctx.output(UNMATCHED, waiting);
      waitingLabel.clear();
    }
  }

  /** The first time the next watermark can have. */
  private static long after(long watermark) {
    return watermark == Long.MAX_VALUE ? watermark : watermark + 1;
  }

  private long deadline(Label l) {
    return l.timestamp() + maxDelay(l.modelId());
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
