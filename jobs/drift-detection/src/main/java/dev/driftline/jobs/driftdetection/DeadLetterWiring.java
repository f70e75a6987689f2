package dev.driftline.jobs.driftdetection;

import dev.driftline.core.events.Label;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.io.Json;
import dev.driftline.core.window.Outcome;
import dev.driftline.jobs.driftdetection.DriftDetectionJob.Uids;
import dev.driftline.jobs.driftdetection.operators.CountWindowFunction;
import dev.driftline.jobs.driftdetection.operators.LabelJoinFunction;
import dev.driftline.jobs.driftdetection.operators.LatePartials;
import dev.driftline.runtime.deadletter.CountDeadLetters;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetters;
import dev.driftline.runtime.flink.NamedSink;
import dev.driftline.runtime.kafka.Sourced;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Every dead letter of the drift job, each with its reason, into one counted stream and its sinks:
 * records that do not decode, labels without a prediction within {@code labels.max_delay},
 * duplicate labels and predictions, labels of models without labels, late predictions of count
 * windows and partials the keyed windows refused as late.
 */
final class DeadLetterWiring {
  private final ModelRegistry models;
  private DataStream<DeadLetter> all;

  DeadLetterWiring(ModelRegistry models) {
    this.models = models;
  }

  /** Records of the three inputs that did not decode. */
  DeadLetterWiring undecodable(SingleOutputStreamOperator<?> predictions, SingleOutputStreamOperator<?> labels,
      SingleOutputStreamOperator<?> baselines) {
    return add(predictions.getSideOutput(DeadLetters.TAG)
        .union(labels.getSideOutput(DeadLetters.TAG), baselines.getSideOutput(DeadLetters.TAG)));
  }

  /** Labels the join refused: no prediction within the delay, or a second label of a prediction. */
  DeadLetterWiring refusedLabels(SingleOutputStreamOperator<Outcome> joined) {
    ModelRegistry registry = models;
    add(joined.getSideOutput(LabelJoinFunction.UNMATCHED)
        .map(l -> label(l, idField(registry, l.value().modelId()) + ": no prediction \"" + l.value().predictionId()
            + "\" within labels.max_delay (" + registry.get(l.value().modelId()).maxLabelDelay() + ") of this label"))
        .returns(TypeInformation.of(DeadLetter.class)).uid(Uids.UNMATCHED_LABELS).name("unmatched labels"));
    return add(joined.getSideOutput(LabelJoinFunction.DUPLICATE)
        .map(l -> label(l, idField(registry, l.value().modelId()) + ": duplicate label for prediction \""
            + l.value().predictionId() + "\", which is already labelled"))
        .returns(TypeInformation.of(DeadLetter.class)).uid(Uids.DUPLICATE_LABELS).name("duplicate labels"));
  }

  /** Second predictions of an id. */
  DeadLetterWiring duplicatePredictions(DataStream<Prediction> duplicates) {
    ModelRegistry registry = models;
    return add(duplicates
        .map(p -> new DeadLetter("dedup:predictions", idField(registry, p.modelId()) + ": duplicate prediction id \""
            + p.predictionId() + "\"; the first prediction with it is kept", null, -1, -1,
            p.predictionId().getBytes(StandardCharsets.UTF_8), Json.bytes(p), p.timestamp(), System.currentTimeMillis()))
        .returns(TypeInformation.of(DeadLetter.class)).uid(Uids.DUPLICATE_PREDICTIONS).name("duplicate predictions"));
  }

  /** Predictions a count window had closed without (null without count-window models). */
  DeadLetterWiring latePredictions(SingleOutputStreamOperator<?> countWindows) {
    return countWindows == null ? this : add(countWindows.getSideOutput(CountWindowFunction.LATE));
  }

  /** Labels of models whose spec says {@code labels: none} (null without such models). */
  DeadLetterWiring unexpectedLabels(DataStream<DeadLetter> unexpected) {
    return unexpected == null ? this : add(unexpected);
  }

  /** Partials the keyed windows refused as late: the watermark had passed end + lateness. */
  DeadLetterWiring latePartials(SingleOutputStreamOperator<?> timeWindows, Duration driftLateness,
      SingleOutputStreamOperator<?> realized, Duration performanceLateness) {
    return add(timeWindows.getSideOutput(LatePartials.DRIFT).map(p -> LatePartials.drift(p, driftLateness))
            .returns(TypeInformation.of(DeadLetter.class))
            .uid(Uids.LATE_DRIFT_PARTIALS).name("late drift partials")
        .union(realized.getSideOutput(LatePartials.PERFORMANCE).map(p -> LatePartials.performance(p, performanceLateness))
            .returns(TypeInformation.of(DeadLetter.class))
            .uid(Uids.LATE_PERFORMANCE_PARTIALS).name("late performance partials")));
  }

  /** Counts every dead letter by source and reason, and writes it to the dead-letter sink and its copies. */
  void sinkTo(DriftDetectionJob.Outputs outputs) {
    DataStream<DeadLetter> counted = CountDeadLetters.counted(all, Uids.COUNT_DEAD_LETTERS);
    counted.sinkTo(outputs.deadLetters()).uid(Uids.SINK_DEAD_LETTERS).name("dead letters");
    for (NamedSink<DeadLetter> copy : outputs.deadLetterCopies()) {
      copy.attach(counted, Uids.SINK_DEAD_LETTERS, "dead letters");
    }
  }

  /**
   * A label refused after decoding: its source record's bytes and position; a label restored from
   * state of a version that did not keep its source (0.1.0) as it is now, keyed by prediction id.
   */
  static DeadLetter label(Sourced<Label> s, String reason) {
    Label l = s.value();
    return s.deadLetter("join:labels", reason, l.predictionId().getBytes(StandardCharsets.UTF_8), Json.bytes(l),
        l.timestamp());
  }

  private DeadLetterWiring add(DataStream<DeadLetter> letters) {
    all = all == null ? letters : all.union(letters);
    return this;
  }

  private static String idField(ModelRegistry models, String modelId) {
    return models.get(modelId).fields().predictionId();
  }
}
