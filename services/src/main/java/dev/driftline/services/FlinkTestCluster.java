package dev.driftline.services;

import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The Flink MiniCluster the job tests run on: 2 slots, RocksDB state and file checkpoints, so
 * tests exercise the same state code as production. Register it with
 * {@code @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();}
 */
public final class FlinkTestCluster {
  public static final int PARALLELISM = 2;

  private FlinkTestCluster() {}

  public static MiniClusterExtension extension() {
    Path checkpoints = Path.of(System.getProperty("user.dir"), "target", "flink-checkpoints");
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
        .setConfiguration(conf)
        .setNumberTaskManagers(1)
        .setNumberSlotsPerTaskManager(PARALLELISM)
        .build());
  }
}
