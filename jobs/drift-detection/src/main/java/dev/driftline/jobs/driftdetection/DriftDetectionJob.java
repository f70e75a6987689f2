package dev.driftline.jobs.driftdetection;

import dev.driftline.connectors.deadletter.CountDeadLetters;
import dev.driftline.connectors.deadletter.DeadLetter;
import dev.driftline.connectors.deadletter.DeadLetters;
import dev.driftline.connectors.flink.NamedSink;
import dev.driftline.connectors.kafka.DecodeFunction;
import dev.driftline.connectors.kafka.RawRecord;
import dev.driftline.connectors.kafka.Sourced;
import dev.driftline.core.events.Label;
import dev.driftline.core.events.LabelDecoder;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.window.Baseline;
import dev.driftline.core.window.DriftResult;
import dev.driftline.core.window.Outcome;
import dev.driftline.core.window.PerformanceResult;
import dev.driftline.jobs.driftdetection.operators.BaselineDecoder;
import dev.driftline.jobs.driftdetection.operators.CloseWindowFunction;
import dev.driftline.jobs.driftdetection.operators.CountWindowFunction;
import dev.driftline.jobs.driftdetection.operators.DriftEvaluationFunction;
import dev.driftline.jobs.driftdetection.operators.EstimatePairing;
import dev.driftline.jobs.driftdetection.operators.FirstPredictionFunction;
import dev.driftline.jobs.driftdetection.operators.LabelDriftFunction;
import dev.driftline.jobs.driftdetection.operators.LabelJoinFunction;
import dev.driftline.jobs.driftdetection.operators.LatePartials;
import dev.driftline.jobs.driftdetection.operators.MergePartials;
import dev.driftline.jobs.driftdetection.operators.NoEventTime;
import dev.driftline.jobs.driftdetection.operators.PartialWindowAssigner;
import dev.driftline.jobs.driftdetection.operators.PcaScoringBundleOperator;
import dev.driftline.jobs.driftdetection.operators.PerformanceBundling;
import dev.driftline.jobs.driftdetection.operators.PerformanceWindowFunction;
import dev.driftline.jobs.driftdetection.operators.SegmentFanOut;
import dev.driftline.jobs.driftdetection.operators.SummaryBundling;
import dev.driftline.jobs.driftdetection.operators.WindowBundleOperator;
import dev.driftline.jobs.driftdetection.operators.WindowPartial;
import dev.driftline.jobs.driftdetection.state.ClosedWindow;
import dev.driftline.jobs.driftdetection.state.JoinState;
import dev.driftline.jobs.driftdetection.state.Partials;
import dev.driftline.jobs.driftdetection.state.PredictionSerializer;
import dev.driftline.core.window.PerformanceWindow;
import dev.driftline.core.window.WindowSummary;
import dev.driftline.core.schema.RecordSchema;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The drift-detection pipeline: decode predictions and labels (bad records to dead letters), join
 * labels to predictions, and per (model, segment) prediction-time window compute drift against the
 * reference, performance estimated from the scores (when the profile has a calibration) and
 * performance on the labels known so far, with the estimate beside it. Sources and sinks come from outside, so
 * tests run exactly this pipeline on their own ends.
 */
public final class DriftDetectionJob {
  /**
   * A subtask's bundle of partial window summaries is flushed at this many records ... (A partial's
   * size is bounded whatever its count, so this bounds only how long the bundle waits; every flush
   * writes each partial whole, about 150 kB for 25 features, so fewer is cheaper.)
   */
  static final int BUNDLE_RECORDS = 50_000;
  /**
   * ... or this many (key, window) summaries, whichever comes first (it also flushes on watermarks
   * and checkpoints). With many models and segments each key gets a few records per bundle, so a
   * limit far below the number of keys would flush on almost every record and turn the keyed
   * windows' merge into a per-record cost. A summary of a few records of 20 features takes about
   * 6 kB of heap, so a full bundle of small summaries holds about 60 MB (and the record limit
   * bounds what large ones add).
   */
  static final int BUNDLE_ENTRIES = 10_000;
  private final Source<RawRecord, ?, ?> predictions;
  private final Source<RawRecord, ?, ?> labels;
  private final Source<RawRecord, ?, ?> baselines;
  private final Outputs outputs;
  private final ModelRegistry models;
  private final Map<String, Baseline> profiles;
  private final int bundleRecords;
  private final int bundleEntries;

  /**
   * The operator uids: a savepoint's state is matched to operators by them, so they are a contract
   * with the next version (renaming one drops that operator's state on upgrade). A sink's uid is
   * {@code <SINK>/<output>/<sink name>}, e.g. {@code drift/sink/drift-results/kafka}.
   */
  public static final class Uids {
    public static final String SOURCE_PREDICTIONS = "drift/source/predictions";
    public static final String DECODE_PREDICTIONS = "drift/decode-predictions";
    public static final String TIMESTAMPS_PREDICTIONS = "drift/timestamps-predictions";
    public static final String SOURCE_LABELS = "drift/source/labels";
    public static final String DECODE_LABELS = "drift/decode-labels";
    public static final String TIMESTAMPS_LABELS = "drift/timestamps-labels";
    public static final String SOURCE_BASELINES = "drift/source/baselines";
    public static final String DECODE_BASELINES = "drift/decode-baselines";
    public static final String FIRST_PREDICTION = "drift/first-prediction";
    public static final String LABEL_JOIN = "drift/label-join";
    /** Only with a model whose spec says {@code labels: none}: the split round the join. */
    public static final String LABELLED_MODELS = "drift/models-with-labels";
    public static final String UNLABELLED_MODELS = "drift/models-without-labels";
    public static final String ANNOUNCE_UNLABELLED = "drift/announce-unlabelled-predictions";
    public static final String LABELS_OF_LABELLED_MODELS = "drift/labels-of-models-with-labels";
    public static final String LABELS_OF_UNLABELLED_MODELS = "drift/labels-of-models-without-labels";
    public static final String UNEXPECTED_LABELS = "drift/dead-letter/labels-of-models-without-labels";
    public static final String FAN_OUT_SEGMENTS = "drift/fan-out-segments";
    public static final String COUNT_WINDOW_MODELS = "drift/count-window-models";
    public static final String COUNT_WINDOWS = "drift/count-windows";
    public static final String TIME_WINDOW_MODELS = "drift/time-window-models";
    public static final String SUMMARIZE_LOCALLY = "drift/summarize-locally";
    public static final String SUMMARIZE_WINDOWS = "drift/summarize-windows";
    public static final String DRIFT_EVALUATION = "drift/drift-evaluation";
    public static final String TIME_WINDOW_OUTCOMES = "drift/time-window-outcomes";
    public static final String FAN_OUT_OUTCOMES = "drift/fan-out-outcome-segments";
    public static final String COUNT_PERFORMANCE_LOCALLY = "drift/count-performance-locally";
    public static final String PERFORMANCE_WINDOWS = "drift/performance-per-window";
    public static final String ESTIMATE_PAIRING = "drift/estimate-pairing";
    public static final String LABEL_DRIFT = "drift/label-drift";
    public static final String UNMATCHED_LABELS = "drift/dead-letter/unmatched-labels";
    public static final String DUPLICATE_LABELS = "drift/dead-letter/duplicate-labels";
    public static final String DUPLICATE_PREDICTIONS = "drift/dead-letter/duplicate-predictions";
    public static final String LATE_DRIFT_PARTIALS = "drift/dead-letter/late-drift-partials";
    public static final String LATE_PERFORMANCE_PARTIALS = "drift/dead-letter/late-performance-partials";
    public static final String COUNT_DEAD_LETTERS = "drift/count-dead-letters";
    public static final String SINK = "drift/sink";
    public static final String SINK_DRIFT_RESULTS = SINK + "/drift-results";
    public static final String SINK_PERFORMANCE = SINK + "/performance";
    public static final String SINK_LABELLED = SINK + "/labelled-predictions";
    /** The dead-letter sink itself; its copies are {@code SINK_DEAD_LETTERS + "/" + name}. */
    public static final String SINK_DEAD_LETTERS = SINK + "/dead-letters";

    private Uids() {}
  }

  /** Where results go; each list may hold several sinks (e.g. Kafka and Elasticsearch), each with its own name. */
  public record Outputs(
      List<NamedSink<DriftResult>> drift,
      List<NamedSink<PerformanceResult>> performance,
      List<NamedSink<LabelJoinFunction.LabelledPrediction>> labelled,
      Sink<DeadLetter> deadLetters,
      List<NamedSink<DeadLetter>> deadLetterCopies) {
    /** Dead letters to one sink only. */
    public Outputs(List<NamedSink<DriftResult>> drift, List<NamedSink<PerformanceResult>> performance,
        List<NamedSink<LabelJoinFunction.LabelledPrediction>> labelled, Sink<DeadLetter> deadLetters) {
      this(drift, performance, labelled, deadLetters, List.of());
    }
  }

  /**
   * @param baselines new reference profiles published while the job runs (e.g. by a trainer); they
   *     replace a model's profile baseline without a restart
   */
  public DriftDetectionJob(Source<RawRecord, ?, ?> predictions, Source<RawRecord, ?, ?> labels,
      Source<RawRecord, ?, ?> baselines, Outputs outputs, ModelRegistry models, Map<String, Baseline> profiles) {
    this.predictions = predictions;
    this.labels = labels;
    this.baselines = baselines;
    this.outputs = outputs;
    this.models = models;
    this.profiles = Map.copyOf(profiles);
    this.bundleRecords = BUNDLE_RECORDS;
    this.bundleEntries = BUNDLE_ENTRIES;
  }

  private DriftDetectionJob(DriftDetectionJob job, int bundleRecords, int bundleEntries) {
    this.predictions = job.predictions;
    this.labels = job.labels;
    this.baselines = job.baselines;
    this.outputs = job.outputs;
    this.models = job.models;
    this.profiles = job.profiles;
    if (bundleRecords <= 0 || bundleEntries <= 0) {
      throw new IllegalArgumentException("bundle limits must be positive, got " + bundleRecords + " records and "
          + bundleEntries + " entries");
    }
    this.bundleRecords = bundleRecords;
    this.bundleEntries = bundleEntries;
  }

  /**
   * The same job with other bundle limits (defaults {@link #BUNDLE_RECORDS} and
   * {@link #BUNDLE_ENTRIES}): they change when partial summaries are flushed, never what is written.
   */
  public DriftDetectionJob withBundleLimits(int records, int entries) {
    return new DriftDetectionJob(this, records, entries);
  }

  /** Adds the pipeline to {@code env}; the caller executes it. */
  public void build(StreamExecutionEnvironment env) {
    // Every record between chained operators is immutable once emitted (Java records; summaries
    // leave their operator over a network edge), so chained operators may share instances instead
    // of copying each record through its serializer.
    env.getConfig().enableObjectReuse();
    // Every operator has a uid (Uids): the job graph is refused if one is missing, rather than
    // an upgrade silently dropping that operator's state.
    env.getConfig().disableAutoGeneratedUIDs();
    Duration outOfOrder = Duration.ZERO;
    Duration idle = null;
    Duration driftLateness = Duration.ZERO;
    Duration maxLabelDelay = Duration.ZERO;
    for (MonitorSpec spec : models.all()) {
      outOfOrder = max(outOfOrder, spec.window().maxOutOfOrderness());
      idle = idle == null || spec.window().idleTimeout().compareTo(idle) < 0 ? spec.window().idleTimeout() : idle;
      driftLateness = max(driftLateness, spec.window().allowedLateness());
      // Performance windows wait for late labels; a model without labels only for late
      // predictions, as long as its drift windows do.
      maxLabelDelay = max(maxLabelDelay, PerformanceWindowFunction.lateness(spec));
    }
    ModelRegistry registry = models;
    boolean anyCount = models.all().stream().anyMatch(s -> s.window().isCount());
    boolean anyUnlabelled = models.all().stream().anyMatch(s -> !s.labelled());

    SingleOutputStreamOperator<Prediction> decodedPredictions = env
        .fromSource(predictions, WatermarkStrategy.noWatermarks(), "predictions")
        .uid(Uids.SOURCE_PREDICTIONS)
        .process(new DecodeFunction<>("decode:predictions", new PredictionDecoder(models)).expecting(RecordSchema.PREDICTION))
        .returns(PredictionSerializer.typeInfo())
        .uid(Uids.DECODE_PREDICTIONS)
        .name("decode predictions");
    // Labels keep their source record to the join: a label refused after decoding (no prediction,
    // a duplicate, a model without labels) is a dead letter with its original bytes and position.
    SingleOutputStreamOperator<Sourced<Label>> decodedLabels = env
        .fromSource(labels, WatermarkStrategy.noWatermarks(), "labels")
        .uid(Uids.SOURCE_LABELS)
        .process(DecodeFunction.keepingSource("decode:labels", new LabelDecoder(models)).expecting(RecordSchema.LABEL))
        .returns(JoinState.labelTypeInfo())
        .uid(Uids.DECODE_LABELS)
        .name("decode labels");

    DataStream<Prediction> timedPredictions = decodedPredictions.assignTimestampsAndWatermarks(
        WatermarkStrategy.<Prediction>forBoundedOutOfOrderness(outOfOrder)
            .withTimestampAssigner((p, t) -> p.timestamp())
            .withIdleness(idle))
        .uid(Uids.TIMESTAMPS_PREDICTIONS);
    DataStream<Sourced<Label>> timedLabels = decodedLabels.assignTimestampsAndWatermarks(
        WatermarkStrategy.<Sourced<Label>>forBoundedOutOfOrderness(outOfOrder)
            .withTimestampAssigner((l, t) -> l.value().timestamp())
            .withIdleness(idle))
        .uid(Uids.TIMESTAMPS_LABELS);

    SingleOutputStreamOperator<BaselineDecoder.PublishedBaseline> publishedBaselines = env
        .fromSource(baselines, new NoEventTime<>(), "baselines")
        .uid(Uids.SOURCE_BASELINES)
        .process(new DecodeFunction<>("decode:baselines", new BaselineDecoder(models)).expecting(RecordSchema.BASELINE))
        .returns(TypeInformation.of(BaselineDecoder.PublishedBaseline.class))
        .uid(Uids.DECODE_BASELINES)
        .name("decode baselines");

    // The first prediction of each id goes on, a duplicate becomes a dead letter: counted once in
    // drift and in performance. Keyed by prediction id like the join, which reads its output
    // without another shuffle; its watermark is the predictions' alone (drift windows close on
    // prediction time), the join's also waits for the labels'.
    SingleOutputStreamOperator<Prediction> firstPredictions = timedPredictions.keyBy(p -> p.predictionId())
        .process(new FirstPredictionFunction(models))
        .returns(PredictionSerializer.typeInfo())
        .uid(Uids.FIRST_PREDICTION)
        .name("first prediction per id");
    // A model with `labels: none` pays no join: its predictions go round it (announced to the
    // performance windows as the join would), and a label for it is a dead letter. Without such
    // models the pipeline has no extra step.
    DataStream<Prediction> toJoin = firstPredictions;
    DataStream<Sourced<Label>> labelsToJoin = timedLabels;
    DataStream<Outcome> unjoined = null;
    DataStream<DeadLetter> unexpectedLabels = null;
    if (anyUnlabelled) {
      toJoin = firstPredictions.filter(p -> registry.get(p.modelId()).labelled())
          .uid(Uids.LABELLED_MODELS).name("models with labels");
      unjoined = firstPredictions.filter(p -> !registry.get(p.modelId()).labelled())
          .uid(Uids.UNLABELLED_MODELS).name("models without labels")
          .map(LabelJoinFunction::announce).returns(TypeInformation.of(Outcome.class))
          .uid(Uids.ANNOUNCE_UNLABELLED).name("announce unlabelled predictions");
      labelsToJoin = timedLabels.filter(l -> registry.get(l.value().modelId()).labelled())
          .uid(Uids.LABELS_OF_LABELLED_MODELS).name("labels of models with labels");
      unexpectedLabels = timedLabels.filter(l -> !registry.get(l.value().modelId()).labelled())
          .uid(Uids.LABELS_OF_UNLABELLED_MODELS).name("labels of models without labels")
          .map(l -> labelDeadLetter(l, "model \"" + l.value().modelId() + "\" has labels: none in its monitor spec; label for prediction \""
              + l.value().predictionId() + "\" not joined"))
          .returns(TypeInformation.of(DeadLetter.class)).uid(Uids.UNEXPECTED_LABELS).name("labels of models without labels to dead letters");
    }
    // The join's input stays partitioned by prediction id: the filter is chained to the keyed step.
    SingleOutputStreamOperator<Outcome> joined = DataStreamUtils
        .reinterpretAsKeyedStream(toJoin, p -> p.predictionId(), Types.STRING)
        .connect(labelsToJoin.keyBy(l -> l.value().predictionId()))
        .process(new LabelJoinFunction(models))
        .returns(TypeInformation.of(Outcome.class))
        .uid(Uids.LABEL_JOIN)
        .name("join labels");
    DataStream<Outcome> outcomes = unjoined == null ? joined : joined.union(unjoined);
    // Drift: all features of a model in one window per (model, segment), tested per feature at the
    // window's end. Two phases: each subtask folds its predictions into in-heap partial summaries,
    // the keyed window merges one partial per bundle. (Merges are lambdas, not method references:
    // see DriftOutputs on javac's deserialization of same-named method references.)
    // Count windows (spec window.type count) take their own keyed path and join the time windows'
    // closed summaries before the drift tests; without count-window models the pipeline is unchanged.
    DataStream<Prediction> fanned = firstPredictions
        .flatMap(SegmentFanOut::predictions).returns(PredictionSerializer.typeInfo())
        .uid(Uids.FAN_OUT_SEGMENTS).name("fan out segments");
    SingleOutputStreamOperator<ClosedWindow> countWindows = null;
    if (anyCount) {
      countWindows = fanned.filter(p -> registry.get(p.modelId()).window().isCount())
          .uid(Uids.COUNT_WINDOW_MODELS).name("count-window models")
          .keyBy(p -> SegmentFanOut.key(p.modelId(), p.segment()))
          .process(new CountWindowFunction(registry))
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
        .allowedLateness(driftLateness)
        .sideOutputLateData(LatePartials.DRIFT)
        .aggregate(new MergePartials<WindowSummary>((into, other) -> into.merge(other)), new CloseWindowFunction(),
            Partials.drift(), TypeInformation.of(WindowSummary.class), ClosedWindow.typeInfo())
        .uid(Uids.SUMMARIZE_WINDOWS)
        .name("summarize windows");
    DataStream<ClosedWindow> closedWindows = timeWindows;
    if (countWindows != null) {
      closedWindows = closedWindows.union(countWindows);
    }
    SingleOutputStreamOperator<DriftResult> drift = closedWindows
        .keyBy(w -> w.key())
        .connect(publishedBaselines.broadcast(DriftEvaluationFunction.BASELINES))
        .process(new DriftEvaluationFunction(models, profiles))
        .returns(TypeInformation.of(DriftResult.class))
        .uid(Uids.DRIFT_EVALUATION)
        .name("drift per window");

    // Performance: counted at prediction time, updated as late labels arrive at points fixed in
    // event time (the window's end, then every window.slide of label time); the same two phases as
    // drift, over bounded performance summaries. Time-window models only: a count-window model's
    // labels are joined (and written as labelled predictions) but make no performance windows.
    DataStream<Outcome> timedOutcomes = anyCount
        ? outcomes.filter(o -> !registry.get(o.modelId()).window().isCount())
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
    // Estimated performance (from the drift side, as a window closes) beside the realized one.
    DataStream<PerformanceResult> performance = realized
        .keyBy(r -> SegmentFanOut.key(r.modelId(), r.segment()))
        .connect(drift.getSideOutput(DriftEvaluationFunction.ESTIMATES).keyBy(r -> SegmentFanOut.key(r.modelId(), r.segment())))
        .process(new EstimatePairing(models))
        .returns(TypeInformation.of(PerformanceResult.class))
        .uid(Uids.ESTIMATE_PAIRING)
        .name("estimated beside realized performance");

    // Label drift: each emission of a performance window (at its end and as late labels arrive)
    // tests the labels it knows against the profile's; results join the drift results.
    DataStream<DriftResult> labelDrift = realized.getSideOutput(PerformanceWindowFunction.LABEL_WINDOWS)
        .keyBy(WindowPartial::key)
        .connect(publishedBaselines.broadcast(DriftEvaluationFunction.BASELINES))
        .process(new LabelDriftFunction(models, profiles))
        .returns(TypeInformation.of(DriftResult.class))
        .uid(Uids.LABEL_DRIFT)
        .name("label drift per window");

    DataStream<DriftResult> driftResults = drift.union(labelDrift);
    for (NamedSink<DriftResult> sink : outputs.drift()) {
      sink.attach(driftResults, Uids.SINK_DRIFT_RESULTS, "drift results");
    }
    DataStream<LabelJoinFunction.LabelledPrediction> labelled = joined.getSideOutput(LabelJoinFunction.LABELLED);
    for (NamedSink<LabelJoinFunction.LabelledPrediction> sink : outputs.labelled()) {
      sink.attach(labelled, Uids.SINK_LABELLED, "labelled predictions");
    }
    for (NamedSink<PerformanceResult> sink : outputs.performance()) {
      sink.attach(performance, Uids.SINK_PERFORMANCE, "performance");
    }
    DataStream<DeadLetter> unmatched = joined.getSideOutput(LabelJoinFunction.UNMATCHED)
        .map(l -> labelDeadLetter(l, idField(registry, l.value().modelId()) + ": no prediction \"" + l.value().predictionId()
            + "\" within labels.max_delay (" + registry.get(l.value().modelId()).maxLabelDelay() + ") of this label"))
        .returns(TypeInformation.of(DeadLetter.class)).uid(Uids.UNMATCHED_LABELS).name("unmatched labels");
    DataStream<DeadLetter> duplicates = joined.getSideOutput(LabelJoinFunction.DUPLICATE)
        .map(l -> labelDeadLetter(l, idField(registry, l.value().modelId()) + ": duplicate label for prediction \""
            + l.value().predictionId() + "\", which is already labelled"))
        .returns(TypeInformation.of(DeadLetter.class)).uid(Uids.DUPLICATE_LABELS).name("duplicate labels");
    DataStream<DeadLetter> duplicatePredictions = firstPredictions.getSideOutput(FirstPredictionFunction.DUPLICATES)
        .map(p -> new DeadLetter("dedup:predictions", idField(registry, p.modelId()) + ": duplicate prediction id \""
            + p.predictionId() + "\"; the first prediction with it is kept", null, -1, -1,
            p.predictionId().getBytes(StandardCharsets.UTF_8), Json.bytes(p), p.timestamp(), System.currentTimeMillis()))
        .returns(TypeInformation.of(DeadLetter.class)).uid(Uids.DUPLICATE_PREDICTIONS).name("duplicate predictions");
    DataStream<DeadLetter> deadLetters = decodedPredictions.getSideOutput(DeadLetters.TAG)
        .union(decodedLabels.getSideOutput(DeadLetters.TAG), publishedBaselines.getSideOutput(DeadLetters.TAG), unmatched,
            duplicates, duplicatePredictions);
    if (countWindows != null) {
      deadLetters = deadLetters.union(countWindows.getSideOutput(CountWindowFunction.LATE));
    }
    if (unexpectedLabels != null) {
      deadLetters = deadLetters.union(unexpectedLabels);
    }
    // Partials the keyed windows refused as late (the watermark had passed end + lateness).
    Duration lateDrift = driftLateness;
    Duration latePerformance = maxLabelDelay;
    deadLetters = deadLetters.union(
        timeWindows.getSideOutput(LatePartials.DRIFT).map(p -> LatePartials.drift(p, lateDrift))
            .returns(TypeInformation.of(DeadLetter.class))
            .uid(Uids.LATE_DRIFT_PARTIALS).name("late drift partials"),
        realized.getSideOutput(LatePartials.PERFORMANCE).map(p -> LatePartials.performance(p, latePerformance))
            .returns(TypeInformation.of(DeadLetter.class))
            .uid(Uids.LATE_PERFORMANCE_PARTIALS).name("late performance partials"));
    DataStream<DeadLetter> counted = CountDeadLetters.counted(deadLetters, Uids.COUNT_DEAD_LETTERS);
    counted.sinkTo(outputs.deadLetters()).uid(Uids.SINK_DEAD_LETTERS).name("dead letters");
    for (NamedSink<DeadLetter> copy : outputs.deadLetterCopies()) {
      copy.attach(counted, Uids.SINK_DEAD_LETTERS, "dead letters");
    }
  }

  private static String idField(ModelRegistry models, String modelId) {
    return models.get(modelId).fields().predictionId();
  }

  /**
   * A label refused after decoding: its source record's bytes and position; a label restored from
   * state of a version that did not keep its source (0.1.0) as it is now, keyed by prediction id.
   */
  private static DeadLetter labelDeadLetter(Sourced<Label> s, String reason) {
    Label l = s.value();
    return s.deadLetter("join:labels", reason, l.predictionId().getBytes(StandardCharsets.UTF_8), Json.bytes(l),
        l.timestamp());
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
