package dev.driftline.jobs.driftdetection;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.window.Outcome;
import dev.driftline.jobs.driftdetection.DriftDetectionJob.Uids;
import dev.driftline.jobs.driftdetection.operators.BaselineDecoder;
import dev.driftline.jobs.driftdetection.operators.DriftEvaluationFunction;
import dev.driftline.jobs.driftdetection.operators.EstimatePairing;
import dev.driftline.jobs.driftdetection.operators.LabelDriftFunction;
import dev.driftline.jobs.driftdetection.operators.LabelJoinOperator;
import dev.driftline.jobs.driftdetection.operators.PerformanceBundling;
import dev.driftline.jobs.driftdetection.operators.PerformanceWindowFunction;
import dev.driftline.jobs.driftdetection.operators.SegmentFanOut;
import dev.driftline.jobs.driftdetection.operators.WindowBundleOperator;
import dev.driftline.jobs.driftdetection.operators.WindowPartial;
import dev.driftline.jobs.driftdetection.state.Partials;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The performance half of the drift job: outcomes counted at prediction time and updated as late
 * labels arrive, at points fixed in event time (the window's end, then every {@code window.slide}
 * of label time), in the same two phases as drift over bounded performance summaries; the estimate
 * made from the scores as the drift window closed beside each; and label drift, each emission's
 * labels against the profile's. Time-window models only: a count-window model's labels are joined
 * (and written as labelled predictions) but make no performance windows.
 */
final class PerformanceWiring {
  private PerformanceWiring() {}

  /**
   * What the performance half gives the rest of the job.
   *
   * @param realized the windows' performance on labels; its late partials are dead letters
   * @param performance the realized results with their estimates, and the estimates of windows before labels
   * @param labelDrift label drift results, written with the drift results
   */
  record Performance(SingleOutputStreamOperator<PerformanceResult> realized, DataStream<PerformanceResult> performance,
      DataStream<DriftResult> labelDrift) {}

  /** @param outcomes the label join's main output, its progress records included */
  static Performance build(DataStream<Outcome> outcomes, SingleOutputStreamOperator<DriftResult> drift,
      DataStream<BaselineDecoder.PublishedBaseline> publishedBaselines, ModelRegistry models, Map<String, Baseline> profiles,
      int bundleRecords, int bundleEntries) {
    ModelRegistry registry = models;
    DataStream<Outcome> timedOutcomes = models.all().stream().anyMatch(s -> s.window().isCount())
        ? outcomes.filter(o -> LabelJoinOperator.isProgress(o) || !registry.get(o.modelId()).window().isCount())
            .uid(Uids.TIME_WINDOW_OUTCOMES).name("time-window outcomes")
        : outcomes;
    SingleOutputStreamOperator<PerformanceResult> realized = timedOutcomes
        .flatMap(SegmentFanOut::outcomes).returns(TypeInformation.of(Outcome.class))
        .uid(Uids.FAN_OUT_OUTCOMES).name("fan out outcome segments")
        .transform("count performance locally", Partials.performance(),
            new WindowBundleOperator<>(new PerformanceBundling(models), bundleRecords, bundleEntries))
        .uid(Uids.COUNT_PERFORMANCE_LOCALLY)
        .keyBy(WindowPartial::key)
        .process(new PerformanceWindowFunction(models))
        .returns(TypeInformation.of(PerformanceResult.class))
        .uid(Uids.PERFORMANCE_WINDOWS)
        .name("performance per window");
    DataStream<PerformanceResult> performance = realized
        .keyBy(r -> SegmentFanOut.key(r.modelId(), r.segment()))
        .connect(drift.getSideOutput(DriftEvaluationFunction.ESTIMATES).keyBy(r -> SegmentFanOut.key(r.modelId(), r.segment())))
        .process(new EstimatePairing(models))
        .returns(TypeInformation.of(PerformanceResult.class))
        .uid(Uids.ESTIMATE_PAIRING)
        .name("estimated beside realized performance");
    DataStream<DriftResult> labelDrift = realized.getSideOutput(PerformanceWindowFunction.LABEL_WINDOWS)
        .keyBy(WindowPartial::key)
        .connect(publishedBaselines.broadcast(DriftEvaluationFunction.BASELINES))
        .process(new LabelDriftFunction(models, profiles))
        .returns(TypeInformation.of(DriftResult.class))
        .uid(Uids.LABEL_DRIFT)
        .name("label drift per window");
    return new Performance(realized, performance, labelDrift);
  }
}
