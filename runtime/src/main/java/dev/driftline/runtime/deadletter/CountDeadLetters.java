package dev.driftline.runtime.deadletter;

import dev.driftline.runtime.metrics.DriftlineMetric;
import dev.driftline.runtime.metrics.MetricFamily;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Passes dead letters on to their sink unchanged, counting each in
 * {@link DriftlineMetric#DEAD_LETTERS} by {@link DeadLetterClasses#source source} and
 * {@link DeadLetterClasses#reason reason class}: every job puts it right before its dead-letter
 * sink, so the counts are what the topic receives.
 */
public final class CountDeadLetters extends RichMapFunction<DeadLetter, DeadLetter> {
  private static final long serialVersionUID = 1L;
  private transient MetricFamily<Counter> counts;

  /** {@code deadLetters} through a counting step with operator uid {@code uid}, ready for the sink. */
  public static SingleOutputStreamOperator<DeadLetter> counted(DataStream<DeadLetter> deadLetters, String uid) {
    return deadLetters.map(new CountDeadLetters()).returns(TypeInformation.of(DeadLetter.class)).uid(uid).name("count dead letters");
  }

  @Override
  public void open(OpenContext context) {
    counts = MetricFamily.counters(DriftlineMetric.DEAD_LETTERS, getRuntimeContext().getMetricGroup());
  }

  @Override
  public DeadLetter map(DeadLetter d) {
    counts.get(DeadLetterClasses.source(d.stage()), DeadLetterClasses.reason(d.stage(), d.reason())).inc();
    return d;
  }
}
