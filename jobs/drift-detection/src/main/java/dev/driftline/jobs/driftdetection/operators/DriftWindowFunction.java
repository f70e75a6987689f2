package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.ReferenceSpec;
import dev.driftline.core.window.Baseline;
import dev.driftline.core.window.DriftResult;
import dev.driftline.core.window.WindowDrift;
import dev.driftline.core.window.WindowSummary;
import dev.driftline.jobs.driftdetection.state.SummaryAccumulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At a window's end, tests every feature of its model against the model's reference: the profile,
 * the previous window of the same key, or the pinned reference window — and emits one
 * {@link DriftResult} per (feature, test). Windows of the stream that serve as references are kept
 * in keyed state (a few recent ones, and those inside a pinned period).
 */
public final class DriftWindowFunction
    extends ProcessWindowFunction<SummaryAccumulator, DriftResult, String, TimeWindow> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DriftWindowFunction.class);
  /** Recent windows kept per key for the previous-window reference (enough for any slide). */
  private static final int RECENT_WINDOWS = 64;

  private final ModelRegistry models;
  private final Map<String, Baseline> profiles;
  private transient Counter windowsWithoutReference;
  private transient Counter windowsEvaluated;

  /** @param profiles the profile baseline of each model whose reference source is a profile */
  public DriftWindowFunction(ModelRegistry models, Map<String, Baseline> profiles) {
    this.models = models;
    this.profiles = Map.copyOf(profiles);
  }

  @Override
  public void open(OpenContext context) {
    windowsWithoutReference = getRuntimeContext().getMetricGroup().counter("windowsWithoutReference");
    windowsEvaluated = getRuntimeContext().getMetricGroup().counter("windowsEvaluated");
  }

  private static MapStateDescriptor<Long, SummaryAccumulator> recentDescriptor() {
    return new MapStateDescriptor<>("recent-windows", Types.LONG, SummaryAccumulator.typeInfo());
  }

  private static MapStateDescriptor<Long, SummaryAccumulator> pinnedDescriptor() {
    return new MapStateDescriptor<>("pinned-windows", Types.LONG, SummaryAccumulator.typeInfo());
  }

  @Override
  public void process(String key, Context ctx, Iterable<SummaryAccumulator> elements, Collector<DriftResult> out)
      throws Exception {
    SummaryAccumulator acc = elements.iterator().next();
    if (acc.summary == null) {
      return;
    }
    MonitorSpec spec = models.get(SegmentFanOut.modelOf(key));
    String segment = SegmentFanOut.segmentOf(key);
    TimeWindow window = ctx.window();
    MapState<Long, SummaryAccumulator> recent = ctx.globalState().getMapState(recentDescriptor());
    MapState<Long, SummaryAccumulator> pinned = ctx.globalState().getMapState(pinnedDescriptor());

    Baseline baseline = baseline(spec, window, recent, pinned);
    if (baseline == null) {
      windowsWithoutReference.inc();
      LOG.debug("model {} segment {} window {}: no reference yet", spec.modelId(), segment, window);
    } else {
      windowsEvaluated.inc();
      long now = System.currentTimeMillis();
      for (FeatureDrift d : WindowDrift.evaluate(spec, baseline, acc.summary)) {
        out.collect(DriftResult.of(spec.modelId(), segment, window.getStart(), window.getEnd(), d,
            baseline.referenceId(), now));
      }
    }
    remember(spec, window, acc, recent, pinned);
  }

  private Baseline baseline(MonitorSpec spec, TimeWindow window, MapState<Long, SummaryAccumulator> recent,
      MapState<Long, SummaryAccumulator> pinned) throws Exception {
    ReferenceSpec ref = spec.reference();
    switch (ref.source()) {
      case PROFILE:
        return profiles.get(spec.modelId());
      case PREVIOUS_WINDOW: {
        Long best = null;
        for (Long end : recent.keys()) {
          if (end <= window.getStart() && (best == null || end > best)) {
            best = end;
          }
        }
        if (best == null) {
          return null;
        }
        long size = spec.window().size().toMillis();
        return Baseline.fromWindow(recent.get(best).summary, spec,
            "previous-window:" + Instant.ofEpochMilli(best - size) + "/" + Instant.ofEpochMilli(best));
      }
      default: {
        if (window.getStart() < ref.end().toEpochMilli()) {
          return null; // windows up to the end of the pinned period are the reference itself
        }
        WindowSummary merged = null;
        long covered = Long.MIN_VALUE;
        List<Long> ends = new ArrayList<>();
        pinned.keys().forEach(ends::add);
        ends.sort(Long::compare);
        long size = spec.window().size().toMillis();
        for (Long end : ends) {
          if (end - size < covered) {
            continue; // overlapping (sliding) windows would count values twice
          }
          WindowSummary part = pinned.get(end).summary;
          if (merged == null) {
            merged = part.copy();
          } else {
            merged.merge(part);
          }
          covered = end;
        }
        return merged == null ? null
            : Baseline.fromWindow(merged, spec, "pinned-window:" + ref.start() + "/" + ref.end());
      }
    }
  }

  private void remember(MonitorSpec spec, TimeWindow window, SummaryAccumulator acc,
      MapState<Long, SummaryAccumulator> recent, MapState<Long, SummaryAccumulator> pinned) throws Exception {
    ReferenceSpec ref = spec.reference();
    if (ref.source() == ReferenceSpec.Source.PREVIOUS_WINDOW) {
      recent.put(window.getEnd(), acc);
      List<Long> ends = new ArrayList<>();
      recent.keys().forEach(ends::add);
      ends.sort(Long::compare);
      for (int i = 0; i < ends.size() - RECENT_WINDOWS; i++) {
        recent.remove(ends.get(i));
      }
    } else if (ref.source() == ReferenceSpec.Source.PINNED_WINDOW
        && window.getStart() >= ref.start().toEpochMilli() && window.getEnd() <= ref.end().toEpochMilli()) {
      pinned.put(window.getEnd(), acc);
    }
  }
}
