package dev.driftline.jobs.retraintrigger.operators;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.PolicyEngine;
import dev.driftline.core.trigger.PolicyState;
import dev.driftline.core.trigger.RetrainTrigger;
import dev.driftline.core.trigger.WindowDriftSummary;
import dev.driftline.runtime.metrics.DriftlineMetric;
import dev.driftline.runtime.metrics.EventTimeLag;
import dev.driftline.runtime.metrics.MetricFamily;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a model's policy per (model, segment) in event-time order, whatever order its inputs
 * arrive in: the (model, segment)'s drift windows by window end and its performance updates by
 * update point ({@link PerformanceResult#labelsUntil()}, the window's end without one); at one time
 * the drift window goes first, then the performance updates by window start, and a window's
 * results are taken by (feature, test), not in arrival order.
 *
 * <p>An input is taken once nothing that goes before it can still come. The drift job writes each
 * (model, segment)'s drift windows in window-end order and its performance updates in point order
 * (one subtask per key each), so a (model, segment)'s own results say how far each input is
 * complete: once its drift window ending at {@code t' > t} is in, every one of its drift windows
 * ending at or before {@code t} is; likewise for updates. That rule looks at this (model,
 * segment) alone, so how the drift job's subtasks interleave segments in a partition, and when
 * watermarks are emitted, do not matter. Where a (model, segment)'s results stop or are sparse, the
 * watermark settles the rest: past {@code t}, everything up to {@code t} counts as in (the job's
 * watermark trails the newest result by {@code RetrainTriggerJob.skewTolerance} in an unbounded
 * run, and comes only at the end of the input in a bounded one). Triggers go to the main output,
 * alerts to {@link #ALERTS}. The policy's memory is keyed state (JSON), so it survives restores.
 */
public final class PolicyFunction extends KeyedCoProcessFunction<String, DriftResult, PerformanceResult, RetrainTrigger> {
  private static final long serialVersionUID = 1L;
  public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts", TypeInformation.of(Alert.class));

  private static final Logger LOG = LoggerFactory.getLogger(PolicyFunction.class);
  private final ModelRegistry models;
  private transient ValueState<byte[]> policy;
  private transient MapState<Long, byte[]> pending;
  /** Update point (epoch millis) → the performance results due then, by window start. */
  private transient MapState<Long, byte[]> pendingPerformance;
  /**
   * How far this (model, segment)'s inputs have come: the newest drift window end and the newest
   * performance update point seen (epoch millis; absent before the first).
   */
  private transient ValueState<long[]> seen;
  private transient MetricFamily<Counter> triggers;
  private transient MetricFamily<Counter> alerts;
  private transient EventTimeLag lag;
  private transient Counter suppressed;

  public PolicyFunction(ModelRegistry models) {
    this.models = models;
  }

  @Override
  public void open(OpenContext context) {
    policy = getRuntimeContext().getState(new ValueStateDescriptor<>("policy", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    pending = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("pending-drift-windows", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    pendingPerformance = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("pending-performance", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    triggers = MetricFamily.counters(DriftlineMetric.RETRAIN_TRIGGERS, getRuntimeContext().getMetricGroup());
    alerts = MetricFamily.counters(DriftlineMetric.ALERTS, getRuntimeContext().getMetricGroup());
    lag = EventTimeLag.register(getRuntimeContext().getMetricGroup());
    suppressed = getRuntimeContext().getMetricGroup().counter("suppressedTriggers");
  }

  @Override
  public void processElement1(DriftResult r, Context ctx, Collector<RetrainTrigger> out) throws Exception {
    lag.watermark(ctx.timerService().currentWatermark());
    if (r.isLabel()) {
      // Label drift comes after a window's feature results, as labels arrive, and the policy does
      // not act on it: gathering it would evaluate windows a second time.
      return;
    }
    long end = Instant.parse(r.windowEnd()).toEpochMilli();
    byte[] existing = pending.get(end);
    List<DriftResult> results = existing == null ? new ArrayList<>()
        : new ArrayList<>(Arrays.asList(Json.mapper().readValue(existing, DriftResult[].class)));
    // A replayed or late-updated result replaces the earlier one of the same feature and test.
    results.removeIf(x -> x.feature().equals(r.feature()) && x.test().equals(r.test()));
    results.add(r);
    pending.put(end, Json.bytes(results));
    ctx.timerService().registerEventTimeTimer(end);
    if (advance(DRIFT, end)) {
      release(ctx, out);
    }
  }

  @Override
  public void processElement2(PerformanceResult r, Context ctx, Collector<RetrainTrigger> out) throws Exception {
    lag.watermark(ctx.timerService().currentWatermark());
    long point = point(r);
    byte[] existing = pendingPerformance.get(point);
    TreeMap<String, PerformanceResult> due = existing == null ? new TreeMap<>()
        : Json.mapper().readValue(existing, DUE);
    // A replayed result replaces the earlier copy of the same update.
    due.put(r.windowStart(), r);
    pendingPerformance.put(point, Json.bytes(due));
    ctx.timerService().registerEventTimeTimer(point);
    if (advance(PERFORMANCE, point)) {
      release(ctx, out);
    }
  }

  private static final int DRIFT = 0;
  private static final int PERFORMANCE = 1;

  /**
   * Records that {@code input} has come as far as {@code time}. True if something may be due now:
   * the input came further, or a result came behind it (late, or a replay of a result already taken).
   */
  private boolean advance(int input, long time) throws IOException {
    long[] s = seen.value();
    s = s == null ? new long[] {Long.MIN_VALUE, Long.MIN_VALUE} : s;
    if (time == s[input]) {
      return false;
    }
    if (time > s[input]) {
      s[input] = time;
      seen.update(s);
    }
    return true;
  }

  /** When a performance result is due: its update point, or its window's end without one (older producers). */
  public static long point(PerformanceResult r) {
    return Instant.parse(r.labelsUntil() != null ? r.labelsUntil() : r.windowEnd()).toEpochMilli();
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<RetrainTrigger> out) throws Exception {
    release(ctx, out);
  }

  /**
   * Evaluates, in event-time order, every pending drift window and performance update of this
   * (model, segment) that nothing can still come before: at time {@code t}, the drift window once
   * all drift windows up to {@code t} and all updates due before {@code t} are in, the updates due
   * at {@code t} once those due at {@code t} are in too (see the class doc for what "in" means).
   */
  private void release(Context ctx, Collector<RetrainTrigger> out) throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    lag.watermark(watermark);
    long[] s = seen.value();
    long drift = s == null ? Long.MIN_VALUE : s[DRIFT];
    long updates = s == null ? Long.MIN_VALUE : s[PERFORMANCE];
    TreeSet<Long> times = new TreeSet<>();
    pending.keys().forEach(times::add);
    pendingPerformance.keys().forEach(times::add);
    PolicyState state = null;
    for (long t : times) {
      boolean passed = watermark >= t;
      if (!(passed || drift > t) || !(passed || updates >= t)) {
        break;
      }
      byte[] bytes = pending.get(t);
      if (bytes != null) {
        state = state == null ? state() : state;
        pending.remove(t);
        DriftResult[] results = Json.mapper().readValue(bytes, DriftResult[].class);
        // Reasons and evidence list the results in this order: one fixed by the results themselves.
        Arrays.sort(results, BY_IDENTITY);
        WindowDriftSummary window = new WindowDriftSummary(results[0].windowStart(), results[0].windowEnd());
        for (DriftResult r : results) {
          window.add(r);
        }
        emit(PolicyEngine.onDriftWindow(spec(results[0].modelId()), results[0].segment(), state, window,
            System.currentTimeMillis()), ctx, out);
      }
      if (!(passed || updates > t)) {
        break;
      }
      byte[] performance = pendingPerformance.get(t);
      if (performance != null) {
        state = state == null ? state() : state;
        pendingPerformance.remove(t);
        TreeMap<String, PerformanceResult> due = Json.mapper().readValue(performance, DUE);
        for (PerformanceResult r : due.values()) {
          emit(PolicyEngine.onPerformance(spec(r.modelId()), r.segment(), state, r, System.currentTimeMillis()), ctx, out);
        }
      }
    }
    if (state != null) {
      policy.update(Json.bytes(state));
    }
  }

  private static final TypeReference<TreeMap<String, PerformanceResult>> DUE = new TypeReference<>() {};
  /** A (model, segment, window)'s results are one per (feature, test). */
  private static final Comparator<DriftResult> BY_IDENTITY =
      Comparator.comparing(DriftResult::feature).thenComparing(DriftResult::test);

  private void emit(PolicyEngine.Decision d, Context ctx, Collector<RetrainTrigger> out) {
    for (Alert a : d.alerts()) {
      alerts.get(a.modelId(), a.segment()).inc();
      ctx.output(ALERTS, a);
    }
    if (d.trigger() != null) {
      triggers.get(d.trigger().modelId(), d.trigger().segment()).inc();
      LOG.info("model {} segment {}: retrain trigger {} for the data up to {}: {}", d.trigger().modelId(),
          d.trigger().segment(), d.trigger().triggerId(), d.trigger().trainingTo(), d.trigger().reasons());
      out.collect(d.trigger());
    }
    if (d.suppressedBy() != null) {
      suppressed.inc();
    }
  }

  private PolicyState state() throws IOException {
    byte[] bytes = policy.value();
    return bytes == null ? new PolicyState() : Json.mapper().readValue(bytes, PolicyState.class);
  }

  private MonitorSpec spec(String modelId) {
    return models.get(modelId);
  }
}
