package dev.driftline.jobs.driftdetection;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.window.WindowSummary;
import dev.driftline.jobs.driftdetection.DriftDetectionJob.Uids;
import dev.driftline.jobs.driftdetection.operators.BaselineDecoder;
import dev.driftline.jobs.driftdetection.operators.CloseWindowFunction;
import dev.driftline.jobs.driftdetection.operators.CountWindowFunction;
import dev.driftline.jobs.driftdetection.operators.DriftEvaluationFunction;
import dev.driftline.jobs.driftdetection.operators.LatePartials;
import dev.driftline.jobs.driftdetection.operators.MergePartials;
import dev.driftline.jobs.driftdetection.operators.PartialWindowAssigner;
import dev.driftline.jobs.driftdetection.operators.PcaCountWindowFunction;
import dev.driftline.jobs.driftdetection.operators.PcaScoringBundleOperator;
import dev.driftline.jobs.driftdetection.operators.SegmentFanOut;
import dev.driftline.jobs.driftdetection.operators.SummaryBundling;
import dev.driftline.jobs.driftdetection.operators.WindowBundleOperator;
import dev.driftline.jobs.driftdetection.operators.WindowPartial;
import dev.driftline.jobs.driftdetection.state.ClosedWindow;
import dev.driftline.jobs.driftdetection.state.Partials;
import dev.driftline.jobs.driftdetection.state.PredictionSerializer;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The drift half of the drift job: all features of a model in one window per (model, segment),
 * tested per feature at the window's end against the reference. Two phases: each subtask folds its
 * predictions into in-heap partial summaries, the keyed window merges one partial per bundle.
 * Count windows ({@code window.type: count}) take their own keyed path and join the time windows'
 * closed summaries before the tests; without count-window models the graph has no such step.
 */
final class DriftWiring {
  private DriftWiring() {}

  /**
   * What the drift half gives the rest of the job.
   *
   * @param countWindows null without count-window models; its late predictions are dead letters
   * @param timeWindows its late partials are dead letters
   * @param results the drift results; performance estimates leave on {@link DriftEvaluationFunction#ESTIMATES}
   */
  record Drift(SingleOutputStreamOperator<ClosedWindow> countWindows, SingleOutputStreamOperator<ClosedWindow> timeWindows,
      SingleOutputStreamOperator<DriftResult> results) {}

  static Drift build(DataStream<Prediction> firstPredictions,
      DataStream<BaselineDecoder.PublishedBaseline> publishedBaselines, ModelRegistry models, Map<String, Baseline> profiles,
      Duration lateness, int bundleRecords, int bundleEntries) {
    ModelRegistry registry = models;
    // (Merges are lambdas, not method references: see DriftOutputs on javac's deserialization of
    // same-named method references.)
    DataStream<Prediction> fanned = firstPredictions
        .flatMap(SegmentFanOut::predictions).returns(PredictionSerializer.typeInfo())
        .uid(Uids.FAN_OUT_SEGMENTS).name("fan out segments");
    SingleOutputStreamOperator<ClosedWindow> countWindows = null;
    if (models.all().stream().anyMatch(s -> s.window().isCount())) {
      KeyedStream<Prediction, String> countKeyed = fanned.filter(p -> registry.get(p.modelId()).window().isCount())
          .uid(Uids.COUNT_WINDOW_MODELS).name("count-window models")
          .keyBy(p -> SegmentFanOut.key(p.modelId(), p.segment()));
      // With a scored count-window model the baselines reach the count windows too; otherwise the step is unchanged.
      countWindows = (PcaCountWindowFunction.needed(models)
          ? countKeyed.connect(publishedBaselines.broadcast(DriftEvaluationFunction.BASELINES))
              .process(new PcaCountWindowFunction(registry, profiles))
          : countKeyed.process(new CountWindowFunction(registry)))
          .returns(ClosedWindow.typeInfo())
          .uid(Uids.COUNT_WINDOWS)
          .name("count windows");
      fanned = fanned.filter(p -> !registry.get(p.modelId()).window().isCount())
          .uid(Uids.TIME_WINDOW_MODELS).name("time-window models");
    }
    // A model with pca scores each prediction as it is summarized, with the model of its newest
    // profile: the baselines reach the local summaries too. Without such models the step is unchanged.
    SingleOutputStreamOperator<WindowPartial<WindowSummary>> partials = PcaScoringBundleOperator.needed(models)
        ? fanned.connect(publishedBaselines.broadcast()).transform("summarize locally", Partials.drift(),
            new PcaScoringBundleOperator(models, profiles, bundleRecords, bundleEntries))
        : fanned.transform("summarize locally", Partials.drift(),
            new WindowBundleOperator<>(new SummaryBundling(models), bundleRecords, bundleEntries));
    SingleOutputStreamOperator<ClosedWindow> timeWindows = partials
        .uid(Uids.SUMMARIZE_LOCALLY)
        .keyBy(WindowPartial::key)
        .window(PartialWindowAssigner.<WindowSummary>eventTime())
        .allowedLateness(lateness)
        .sideOutputLateData(LatePartials.DRIFT)
        .aggregate(new MergePartials<WindowSummary>((into, other) -> into.merge(other)), new CloseWindowFunction(),
            Partials.drift(), TypeInformation.of(WindowSummary.class), ClosedWindow.typeInfo())
        .uid(Uids.SUMMARIZE_WINDOWS)
        .name("summarize windows");
    DataStream<ClosedWindow> closedWindows = timeWindows;
    if (countWindows != null) {
      closedWindows = closedWindows.union(countWindows);
    }
    SingleOutputStreamOperator<DriftResult> results = closedWindows
        .keyBy(w -> w.key())
        .connect(publishedBaselines.broadcast(DriftEvaluationFunction.BASELINES))
        .process(new DriftEvaluationFunction(models, profiles))
        .returns(TypeInformation.of(DriftResult.class))
        .uid(Uids.DRIFT_EVALUATION)
        .name("drift per window");
    return new Drift(countWindows, timeWindows, results);
  }
}
