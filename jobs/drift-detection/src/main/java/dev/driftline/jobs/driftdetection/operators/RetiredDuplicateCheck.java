package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.MonitorSpec;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The duplicate check of 0.1.x, now done in the label join's state ({@link LabelJoinFunction}). It
 * stays in the job with no input so that a savepoint of 0.1.x, which holds its ids in state
 * {@code first-prediction-seen}, restores: the state is declared as it was (a flag per id, with a
 * time-to-live of the longest {@code labels.max_delay} of the job's models, dropped by RocksDB's
 * compaction filter), so its ids expire as before.
 */
public final class RetiredDuplicateCheck extends KeyedProcessFunction<String, Prediction, Prediction> {
  private static final long serialVersionUID = 1L;

  private final Duration remember;

  public RetiredDuplicateCheck(ModelRegistry models) {
    Duration longest = Duration.ofMillis(1);
    for (MonitorSpec spec : models.all()) {
      longest = spec.maxLabelDelay().compareTo(longest) > 0 ? spec.maxLabelDelay() : longest;
    }
    this.remember = longest;
  }

  @Override
  public void open(OpenContext context) {
    ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("first-prediction-seen", Types.BOOLEAN);
    descriptor.enableTimeToLive(StateTtlConfig.newBuilder(remember)
        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
        .cleanupInRocksdbCompactFilter(1_000)
        .build());
    getRuntimeContext().getState(descriptor);
  }

  /** Never called: the operator's input is empty. */
  @Override
  public void processElement(Prediction p, Context ctx, Collector<Prediction> out) {
    // Nothing comes.
  }
}
