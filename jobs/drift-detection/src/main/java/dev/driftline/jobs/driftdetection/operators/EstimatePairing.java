package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.connectors.metrics.DoubleGauge;
import dev.driftline.connectors.metrics.DriftlineMetric;
import dev.driftline.connectors.metrics.MetricFamily;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.window.PerformanceResult;
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
 * {@code model|segment}; input 1 is the realized results (every update of a window), input 2 the
 * estimates (one per window, from the drift side as the window closes). An estimate goes out as it
 * is (its own document, {@code …|estimated}) and is kept; a realized result goes out with the kept
 * estimate beside it, or, while there is none yet, as it is and is kept until the estimate comes,
 * which then re-emits it with the estimate. Both windows close on the same watermark, so either may
 * come first; the last version of every document is the same whichever did.
 *
 * <p>State per key is bounded: windows are forgotten once a result of a window ending
 * {@code labels.max_delay} plus a window size and the allowed lateness later has been seen (no
 * update of them can come after that). Its cost is per result, not per record.
 */
public final class EstimatePairing
    extends KeyedCoProcessFunction<String, PerformanceResult, PerformanceResult, PerformanceResult> {
  private static final long serialVersionUID = 1L;
  private final ModelRegistry models;
  /** window ({@code start/end}) → the estimated result's JSON. */
  private transient MapState<String, byte[]> estimates;
  /** window → the last realized result's JSON, while its estimate has not come. */
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
    waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("realized-waiting-for-estimate", Types.STRING,
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
    String window = window(realized);
    byte[] estimate = estimates.get(window);
    if (estimate != null) {
      emit(realized.withEstimate(read(estimate).estimate()), out);
    } else {
      emit(realized, out);
      MonitorSpec spec = models.get(realized.modelId());
      if (spec != null && spec.estimation().enabled()) {
        waiting.put(window, Json.bytes(realized));
      }
    }
    forgetBefore(realized);
  }

  @Override
  public void processElement2(PerformanceResult estimated, Context ctx, Collector<PerformanceResult> out) throws Exception {
    String window = window(estimated);
    emit(estimated, out);
    estimates.put(window, Json.bytes(estimated));
    byte[] realized = waiting.get(window);
    if (realized != null) {
      emit(read(realized).withEstimate(estimated.estimate()), out);
      waiting.remove(window);
    }
    forgetBefore(estimated);
  }

  private static String window(PerformanceResult r) {
    return r.windowStart() + "/" + r.windowEnd();
  }

  private static PerformanceResult read(byte[] json) throws java.io.IOException {
    return Json.mapper().readValue(json, PerformanceResult.class);
  }

  /** Drops the windows that ended more than the longest possible update period before {@code r}'s. */
  private void forgetBefore(PerformanceResult r) throws Exception {
    MonitorSpec spec = models.get(r.modelId());
    if (spec == null) {
      return;
    }
    long horizon = Instant.parse(r.windowEnd()).toEpochMilli() - spec.maxLabelDelay().toMillis()
        - spec.window().size().toMillis() - spec.window().allowedLateness().toMillis();
    for (MapState<String, byte[]> state : List.of(estimates, waiting)) {
      List<String> old = new ArrayList<>();
      for (String window : state.keys()) {
        if (Instant.parse(window.substring(window.indexOf('/') + 1)).toEpochMilli() < horizon) {
          old.add(window);
        }
      }
      for (String window : old) {
        state.remove(window);
      }
    }
  }
}
