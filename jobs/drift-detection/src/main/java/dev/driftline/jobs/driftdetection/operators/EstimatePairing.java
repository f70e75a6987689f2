package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.window.UpdatePoints;
import dev.driftline.runtime.metrics.DoubleGauge;
import dev.driftline.runtime.metrics.DriftlineMetric;
import dev.driftline.runtime.metrics.MetricFamily;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Puts each window's estimated performance beside its realized performance. Keyed by
 * {@code model|segment}; input 1 is the realized results (every update of a window, stamped with
 * its update point), input 2 the estimates (one per window, from the drift side as the window
 * closes, stamped with its last millisecond). An estimate goes out as it is (its own document,
 * {@code …|estimated}) and is kept. A realized result waits until the watermark of both inputs
 * passes its point — by then the window's estimate, if it has one, has come — and goes out once,
 * with the estimate beside it when there is one: what is written does not depend on which input
 * came first.
 *
 * <p>State per key is bounded: a window's estimate is forgotten when the watermark passes its last
 * update point ({@code labels.max_delay} after its end); no realized result of it can come later.
 * Its cost is per result, not per record.
 */
public final class EstimatePairing
    extends KeyedCoProcessFunction<String, PerformanceResult, PerformanceResult, PerformanceResult> {
  private static final long serialVersionUID = 1L;
  private final ModelRegistry models;
  /** window ({@code start/end}) → the estimated result's JSON. */
  private transient MapState<String, byte[]> estimates;
  /** {@code point/start/end} → a realized result's JSON, until the watermark passes its point. */
  private transient MapState<String, byte[]> waiting;
  private transient MetricFamily<Counter> updates;
  private transient MetricFamily<DoubleGauge> coverage;

  public EstimatePairing(ModelRegistry models) {
    this.models = models;
  }

  @Override
  public void open(OpenContext context) {
    estimates = getRuntimeContext().getMapState(new MapStateDescriptor<>("estimates", Types.STRING,
        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("realized-waiting-for-watermark", Types.STRING,
        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    updates = MetricFamily.counters(DriftlineMetric.PERFORMANCE_UPDATES, getRuntimeContext().getMetricGroup());
    coverage = MetricFamily.gauges(DriftlineMetric.LABEL_COVERAGE, getRuntimeContext().getMetricGroup());
  }

  /** Every result leaves through here: the performance metrics count what the performance sinks receive. */
  private void emit(PerformanceResult r, Collector<PerformanceResult> out) {
    updates.get(r.modelId(), r.segment()).inc();
    if (!r.estimated()) {
      coverage.get(r.modelId(), r.segment()).set(r.labelCoverage());
    }
    out.collect(r);
  }

  @Override
  public void processElement1(PerformanceResult realized, Context ctx, Collector<PerformanceResult> out) throws Exception {
    long point = ctx.timestamp();
    waiting.put(point + "/" + window(realized), Json.bytes(realized));
    ctx.timerService().registerEventTimeTimer(point);
  }

  @Override
  public void onTimer(long time, OnTimerContext ctx, Collector<PerformanceResult> out) throws Exception {
    List<String> due = new ArrayList<>();
    for (String id : waiting.keys()) {
      if (Long.parseLong(id.substring(0, id.indexOf('/'))) == time) {
        due.add(id);
      }
    }
    // The same order every run: by window (ISO instants of one format sort as times).
    due.sort(null);
    for (String id : due) {
      PerformanceResult realized = read(waiting.get(id));
      waiting.remove(id);
      byte[] estimate = estimates.get(window(realized));
      emit(estimate == null ? realized : realized.withEstimate(read(estimate).windowEstimate()), out);
    }
    forgetDone(SegmentFanOut.modelOf(ctx.getCurrentKey()), time);
  }

  @Override
  public void processElement2(PerformanceResult estimated, Context ctx, Collector<PerformanceResult> out) throws Exception {
    emit(estimated, out);
    estimates.put(window(estimated), Json.bytes(estimated));
    long last = last(estimated.modelId(), estimated.windowEnd());
    if (last != Long.MAX_VALUE) {
      ctx.timerService().registerEventTimeTimer(last);
    }
  }

  private static String window(PerformanceResult r) {
    return r.windowStart() + "/" + r.windowEnd();
  }

  private static PerformanceResult read(byte[] json) throws java.io.IOException {
    return Json.mapper().readValue(json, PerformanceResult.class);
  }

  /**
   * Drops the estimates of windows past their last update point: no realized result of them can
   * come any more. Driven by the watermark (timers), so it does not depend on arrival order.
   */
  private void forgetDone(String modelId, long time) throws Exception {
    List<String> done = new ArrayList<>();
    for (String window : estimates.keys()) {
      if (last(modelId, window.substring(window.indexOf('/') + 1)) <= time) {
        done.add(window);
      }
    }
    for (String window : done) {
      estimates.remove(window);
    }
  }

  /** The last update point of a model's window ending at {@code windowEnd} ({@link UpdatePoints#last}); MAX_VALUE for an unknown model. */
  private long last(String modelId, String windowEnd) {
    MonitorSpec spec = models.get(modelId);
    if (spec == null) {
      return Long.MAX_VALUE;
    }
    return UpdatePoints.last(Instant.parse(windowEnd).toEpochMilli(), spec.maxLabelDelay().toMillis(),
        spec.window().slide().toMillis());
  }

}
