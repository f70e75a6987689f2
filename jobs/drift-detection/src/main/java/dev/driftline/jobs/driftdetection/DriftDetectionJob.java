package dev.driftline.jobs.driftdetection;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.events.Label;
import dev.driftline.core.events.LabelDecoder;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.window.Outcome;
import dev.driftline.jobs.driftdetection.operators.BaselineDecoder;
import dev.driftline.jobs.driftdetection.operators.LabelJoinFunction;
import dev.driftline.jobs.driftdetection.operators.LabelJoinOperator;
import dev.driftline.jobs.driftdetection.operators.NoEventTime;
import dev.driftline.jobs.driftdetection.operators.PerformanceWindowFunction;
import dev.driftline.jobs.driftdetection.operators.RetiredDuplicateCheck;
import dev.driftline.jobs.driftdetection.state.JoinState;
import dev.driftline.jobs.driftdetection.state.PredictionSerializer;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.flink.NamedSink;
import dev.driftline.runtime.kafka.DecodeFunction;
import dev.driftline.runtime.kafka.RawRecord;
import dev.driftline.runtime.kafka.Sourced;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The drift-detection pipeline: decode predictions and labels (bad records to dead letters), join
 * labels to predictions, and per (model, segment) prediction-time window compute drift against the
 * reference, performance estimated from the scores (when the profile has a calibration) and
 * performance on the labels known so far, with the estimate beside it. Sources and sinks come from outside, so
 * tests run exactly this pipeline on their own ends. This class decodes and joins; the drift half is
 * {@link DriftWiring}, the performance half {@link PerformanceWiring}, the dead letters of all
 * {@link DeadLetterWiring}.
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
    /** The duplicate check of 0.1.x, kept (with no input) so that its savepoint state restores. */
    public static final String FIRST_PREDICTION = "drift/first-prediction";
    public static final String RETIRED_FIRST_PREDICTION_INPUT = "drift/retired-first-prediction-input";
    /** The label join, which also keeps the first prediction of each id. */
    public static final String LABEL_JOIN = "drift/label-join";
    /** Only with a model whose spec says {@code labels: none}: its labels are dead letters. */
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
   * @param baselines new baselines published while the job runs (e.g. by a trainer); they
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

    // One keyed pass per prediction: the join keeps the first prediction of each id (a duplicate
    // becomes a dead letter, counted once in drift and in performance) and sends it on to drift
    // with the predictions' watermark, so drift windows close on prediction time; performance
    // gets the join's own watermark, which also waits for the labels'. A model with `labels: none`
    // has only its ids marked there; a label for it is a dead letter.
    DataStream<Sourced<Label>> labelsToJoin = timedLabels;
    DataStream<DeadLetter> unexpectedLabels = null;
    if (anyUnlabelled) {
      labelsToJoin = timedLabels.filter(l -> registry.get(l.value().modelId()).labelled())
          .uid(Uids.LABELS_OF_LABELLED_MODELS).name("labels of models with labels");
      unexpectedLabels = timedLabels.filter(l -> !registry.get(l.value().modelId()).labelled())
          .uid(Uids.LABELS_OF_UNLABELLED_MODELS).name("labels of models without labels")
          .map(l -> DeadLetterWiring.label(l, "model \"" + l.value().modelId() + "\" has labels: none in its monitor spec; label for prediction \""
              + l.value().predictionId() + "\" not joined"))
          .returns(TypeInformation.of(DeadLetter.class)).uid(Uids.UNEXPECTED_LABELS).name("labels of models without labels to dead letters");
    }
    SingleOutputStreamOperator<Outcome> joined = timedPredictions.keyBy(p -> p.predictionId())
        .connect(labelsToJoin.keyBy(l -> l.value().predictionId()))
        .transform("join labels", TypeInformation.of(Outcome.class), new LabelJoinOperator(new LabelJoinFunction(models)))
        .uid(Uids.LABEL_JOIN);
    DataStream<Prediction> firstPredictions = joined.getSideOutput(LabelJoinFunction.FIRST);
    // The duplicate check of 0.1.x, whose savepoints hold its ids: it restores them and lets them
    // expire, and takes no input.
    timedPredictions.filter(p -> false).uid(Uids.RETIRED_FIRST_PREDICTION_INPUT).name("nothing (retired duplicate check)")
        .keyBy(p -> p.predictionId())
        .process(new RetiredDuplicateCheck(models))
        .returns(PredictionSerializer.typeInfo())
        .uid(Uids.FIRST_PREDICTION)
        .name("retired duplicate check");

    DriftWiring.Drift drift = DriftWiring.build(firstPredictions, publishedBaselines, models, profiles, driftLateness,
        bundleRecords, bundleEntries);
    PerformanceWiring.Performance performance = PerformanceWiring.build(joined, drift.results(), publishedBaselines,
        models, profiles, bundleRecords, bundleEntries);

    DataStream<DriftResult> driftResults = drift.results().union(performance.labelDrift());
    for (NamedSink<DriftResult> sink : outputs.drift()) {
      sink.attach(driftResults, Uids.SINK_DRIFT_RESULTS, "drift results");
    }
    DataStream<LabelJoinFunction.LabelledPrediction> labelled = joined.getSideOutput(LabelJoinFunction.LABELLED);
    for (NamedSink<LabelJoinFunction.LabelledPrediction> sink : outputs.labelled()) {
      sink.attach(labelled, Uids.SINK_LABELLED, "labelled predictions");
    }
    for (NamedSink<PerformanceResult> sink : outputs.performance()) {
      sink.attach(performance.performance(), Uids.SINK_PERFORMANCE, "performance");
    }
    new DeadLetterWiring(models)
        .undecodable(decodedPredictions, decodedLabels, publishedBaselines)
        .refusedLabels(joined)
        .duplicatePredictions(joined.getSideOutput(LabelJoinFunction.DUPLICATE_PREDICTIONS))
        .latePredictions(drift.countWindows())
        .unexpectedLabels(unexpectedLabels)
        .latePartials(drift.timeWindows(), driftLateness, performance.realized(), maxLabelDelay)
        .sinkTo(outputs);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
