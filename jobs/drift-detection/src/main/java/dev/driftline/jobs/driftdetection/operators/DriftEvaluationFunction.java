package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.estimation.MulticlassEstimator;
import dev.driftline.core.estimation.MulticlassPerformanceEstimate;
import dev.driftline.core.estimation.PerformanceEstimator;
import dev.driftline.core.estimation.WindowEstimate;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.ReferenceSpec;
import dev.driftline.core.spec.Task;
import dev.driftline.core.window.WindowDrift;
import dev.driftline.core.window.WindowSummary;
import dev.driftline.jobs.driftdetection.state.ClosedWindow;
import dev.driftline.jobs.driftdetection.state.SummaryAccumulator;
import dev.driftline.runtime.metrics.DriftlineMetric;
import dev.driftline.runtime.metrics.MetricFamily;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tests every feature of a closed window against its model's reference — the profile (the one
 * given at start, replaced by any newer one published on the baselines topic, without a restart),
 * the previous window of the same key, or the pinned reference window — and emits one
 * {@link DriftResult} per (feature, test), naming the reference it used. Windows of the stream
 * that serve as references are kept in keyed state (a few recent ones, and those inside a pinned
 * period); published baselines are broadcast state. A count window's previous window is the count
 * window before it (sequence − 1); recent count windows are kept by sequence, time windows by end.
 *
 * <p>When the model's profile carries a calibration of the score (a profile built with labels, for
 * a classifier whose spec estimates performance: the baseline, or for a window reference
 * the newest published profile, else {@code performance_estimation.profile}) or, for a multiclass
 * classifier, one per class, the window's performance is also estimated from its scores (class
 * probabilities) and sent to {@link #ESTIMATES} as a performance
 * result with {@code estimated: true}, as the window closes and before any of its labels.
 *
 * <p>A time window of a model with {@code pca} gets its {@code pca_reconstruction} result only when
 * the profile it is tested against scored all its predictions ({@link WindowDrift#pcaUntested});
 * otherwise it counts in {@code windowsWithoutPca} and the reason is logged.
 */
public final class DriftEvaluationFunction
    extends KeyedBroadcastProcessFunction<String, ClosedWindow, BaselineDecoder.PublishedBaseline, DriftResult> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DriftEvaluationFunction.class);
  /** Estimated performance of each window whose baseline has a calibration. */
  public static final OutputTag<PerformanceResult> ESTIMATES =
      new OutputTag<>("estimated-performance", TypeInformation.of(PerformanceResult.class));
  /** Recent windows kept per key for the previous-window reference (enough for any slide). */
  private static final int RECENT_WINDOWS = 64;

  private final ModelRegistry models;
  private final PublishedBaselines baselines;
  private transient Counter windowsWithoutReference;
  private transient Counter windowsWithoutPca;
  private transient Counter baselinesReceived;
  private transient Counter windowsEvaluated;
  private transient Counter windowsEstimated;
  private transient MetricFamily<Counter> windowsClosed;
  private transient DriftCounts driftCounts;

  /**
   * @param profiles the profile baseline of each model whose reference source is a profile, and of
   *     each model with a window reference whose {@code performance_estimation.profile} gives one
   *     (used for its calibration only)
   */
  public DriftEvaluationFunction(ModelRegistry models, Map<String, Baseline> profiles) {
    this.models = models;
    this.baselines = new PublishedBaselines(profiles);
  }

  @Override
  public void open(OpenContext context) {
    windowsWithoutReference = getRuntimeContext().getMetricGroup().counter("windowsWithoutReference");
    windowsWithoutPca = getRuntimeContext().getMetricGroup().counter("windowsWithoutPca");
    windowsEvaluated = getRuntimeContext().getMetricGroup().counter("windowsEvaluated");
    windowsEstimated = getRuntimeContext().getMetricGroup().counter("windowsEstimated");
    baselinesReceived = getRuntimeContext().getMetricGroup().counter("baselinesReceived");
    windowsClosed = MetricFamily.counters(DriftlineMetric.WINDOWS_CLOSED, getRuntimeContext().getMetricGroup());
    driftCounts = new DriftCounts(getRuntimeContext().getMetricGroup());
  }

  /** Published baselines: model id → profile JSON. */
  public static final MapStateDescriptor<String, byte[]> BASELINES =
      new MapStateDescriptor<>("published-baselines", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

  private static MapStateDescriptor<Long, SummaryAccumulator> recentDescriptor() {
    return new MapStateDescriptor<>("recent-windows", Types.LONG, SummaryAccumulator.typeInfo());
  }

  private static MapStateDescriptor<Long, SummaryAccumulator> pinnedDescriptor() {
    return new MapStateDescriptor<>("pinned-windows", Types.LONG, SummaryAccumulator.typeInfo());
  }

  @Override
  public void processBroadcastElement(BaselineDecoder.PublishedBaseline profile, Context ctx, Collector<DriftResult> out)
      throws Exception {
    if (!PublishedBaselines.keepNewest(ctx.getBroadcastState(BASELINES), profile)) {
      return; // an older baseline arriving late never replaces a newer one
    }
    baselinesReceived.inc();
    LOG.info("model {}: new baseline {} from the baselines topic", profile.modelId(), profile.profileId());
  }

  @Override
  public void processElement(ClosedWindow closed, ReadOnlyContext ctx, Collector<DriftResult> out) throws Exception {
    String key = closed.key();
    MonitorSpec spec = models.get(SegmentFanOut.modelOf(key));
    String segment = SegmentFanOut.segmentOf(key);
    windowsClosed.get(spec.modelId(), segment).inc();
    TimeWindow window = new TimeWindow(closed.start(), closed.end());
    MapState<Long, SummaryAccumulator> recent = getRuntimeContext().getMapState(recentDescriptor());
    MapState<Long, SummaryAccumulator> pinned = getRuntimeContext().getMapState(pinnedDescriptor());
    SummaryAccumulator acc = new SummaryAccumulator();
    acc.summary = closed.summary();

    byte[] published = ctx.getBroadcastState(BASELINES).get(spec.modelId());
    Baseline baseline = spec.reference().source() == ReferenceSpec.Source.PROFILE
        ? profileBaseline(spec, published)
        : baseline(spec, closed, recent, pinned);
    if (baseline == null) {
      windowsWithoutReference.inc();
      LOG.debug("model {} segment {} window {}: no reference yet", spec.modelId(), segment, window);
    } else {
      windowsEvaluated.inc();
      long now = System.currentTimeMillis();
      for (FeatureDrift d : WindowDrift.evaluate(spec, baseline, acc.summary)) {
        DriftResult r = DriftResult.of(spec.modelId(), segment, window.getStart(), window.getEnd(), d,
            baseline.referenceId(), now);
        driftCounts.count(r);
        out.collect(r);
      }
      // Count windows are not scored (their predictions never meet the baselines), so only time windows say why.
      String untested = closed.isCount() ? null : WindowDrift.pcaUntested(baseline, acc.summary);
      if (untested != null) {
        windowsWithoutPca.inc();
        LOG.info("model {} segment {} window {}: no pca_reconstruction result against {}: {}", spec.modelId(), segment,
            window, baseline.referenceId(), untested);
      }
    }
    // The calibration: the drift reference's, else (a window reference) the model's newest profile's.
    Baseline calibrated = spec.reference().source() == ReferenceSpec.Source.PROFILE ? baseline : profileBaseline(spec, published);
    WindowEstimate e = calibrated == null ? null : estimate(spec, calibrated, acc.summary);
    if (e != null) {
      windowsEstimated.inc();
      ctx.output(ESTIMATES, PerformanceResult.estimated(spec.modelId(), segment, window.getStart(), window.getEnd(), e,
          System.currentTimeMillis()));
    }
    remember(spec, closed, acc, recent, pinned);
  }

  /**
   * The window's performance estimated with the calibration of {@code calibrated}: a binary
   * classifier's from its score histogram, a multiclass classifier's from its class probabilities;
   * null without a calibration, without predictions, or for a multiclass window partly counted
   * before summaries kept its class probabilities.
   */
  static WindowEstimate estimate(MonitorSpec spec, Baseline calibrated, WindowSummary window) {
    if (spec.task() == Task.BINARY_CLASSIFICATION && calibrated.calibration() != null) {
      NumericSample scores = window.numeric(spec.features().size());
      return scores == null ? null : PerformanceEstimator.estimate(scores.buckets(), calibrated.calibration(),
          spec.classificationThreshold(), calibrated.referenceId());
    }
    if (spec.task() == Task.MULTICLASS_CLASSIFICATION && calibrated.classCalibrations() != null
        && window.classScores() != null) {
      MulticlassEstimator.Estimate e = MulticlassEstimator.estimate(window.classScores(), calibrated.classCalibrations());
      return e == null ? null : MulticlassPerformanceEstimate.of(e, calibrated.classCalibrations().get(0).method(),
          calibrated.referenceId());
    }
    return null;
  }

  /** The newest published baseline of the model, else the one given at start. */
  private Baseline profileBaseline(MonitorSpec spec, byte[] published) throws Exception {
    return baselines.current(spec, published, profile -> {
      String noEstimates = BaselineFiles.noEstimationReason(profile, spec);
      if (noEstimates != null) {
        LOG.warn("{} (published on the baselines topic)", noEstimates);
      }
    });
  }

  private Baseline baseline(MonitorSpec spec, ClosedWindow window, MapState<Long, SummaryAccumulator> recent,
      MapState<Long, SummaryAccumulator> pinned) throws Exception {
    ReferenceSpec ref = spec.reference();
    switch (ref.source()) {
      case PROFILE:
        throw new IllegalStateException("profile references are resolved by profileBaseline");
      case PREVIOUS_WINDOW: {
        if (window.isCount()) {
          SummaryAccumulator previous = recent.get(window.sequence() - 1);
          return previous == null ? null : Baseline.fromWindow(previous.summary, spec,
              "previous-window:" + Instant.ofEpochMilli(previous.summary.minTimestamp()) + "/"
                  + Instant.ofEpochMilli(previous.summary.maxTimestamp() + 1));
        }
        Long best = null;
        for (Long end : recent.keys()) {
          if (end <= window.start() && (best == null || end > best)) {
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
        if (window.start() < ref.end().toEpochMilli()) {
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

  private void remember(MonitorSpec spec, ClosedWindow window, SummaryAccumulator acc,
      MapState<Long, SummaryAccumulator> recent, MapState<Long, SummaryAccumulator> pinned) throws Exception {
    ReferenceSpec ref = spec.reference();
    if (ref.source() == ReferenceSpec.Source.PREVIOUS_WINDOW) {
      recent.put(window.isCount() ? window.sequence() : window.end(), acc);
      List<Long> ends = new ArrayList<>();
      recent.keys().forEach(ends::add);
      ends.sort(Long::compare);
      for (int i = 0; i < ends.size() - RECENT_WINDOWS; i++) {
        recent.remove(ends.get(i));
      }
    } else if (ref.source() == ReferenceSpec.Source.PINNED_WINDOW
        && window.start() >= ref.start().toEpochMilli() && window.end() <= ref.end().toEpochMilli()) {
      pinned.put(window.end(), acc);
    }
  }
}
