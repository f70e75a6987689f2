package dev.driftline.runtime.flink;

import dev.driftline.core.io.DurationText;
import dev.driftline.core.io.InputException;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** What every Driftline job's launcher does the same way: its environment. */
public final class JobEnvironments {
  /** RocksDB's {@code RocksDBConfigurableOptions.USE_BLOOM_FILTER}, by key: the backend is the cluster's, not a dependency. */
  static final ConfigOption<Boolean> USE_BLOOM_FILTER =
      ConfigOptions.key("state.backend.rocksdb.use-bloom-filter").booleanType().defaultValue(false);

  private JobEnvironments() {}

  /**
   * An environment with checkpointing on, the given state backend, checkpoints retained on
   * cancellation (so a job can be resumed from its last one) and exponential-delay restarts.
   *
   * @param checkpointDir null for the cluster's default
   */
  public static StreamExecutionEnvironment create(String stateBackend, String checkpointInterval, String checkpointDir) {
    if (!stateBackend.equals("rocksdb") && !stateBackend.equals("hashmap")) {
      throw new IllegalArgumentException("--state-backend: expected rocksdb or hashmap, got " + stateBackend);
    }
    Duration interval = duration("--checkpoint-interval", checkpointInterval);
    Configuration conf = new Configuration();
    state(conf, stateBackend);
    conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    if (checkpointDir != null) {
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(interval.toMillis());
    return env;
  }

  /**
   * The state settings every run of the jobs uses (launchers, the demo, the benchmark): the given
   * backend; with RocksDB, incremental checkpoints (a checkpoint uploads only new files, not the
   * label join's whole state) and bloom filters, since most reads of the duplicate check and the
   * label join are for an id that is not there (a new prediction), which a bloom filter answers
   * without reading a block.
   */
  public static Configuration state(Configuration conf, String stateBackend) {
    conf.set(StateBackendOptions.STATE_BACKEND, stateBackend);
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    conf.set(USE_BLOOM_FILTER, true);
    return conf;
  }

  /** A duration option's value, or an error naming the option. */
  public static Duration duration(String option, String text) {
    try {
      return DurationText.parse(text);
    } catch (InputException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage());
    }
  }

}
