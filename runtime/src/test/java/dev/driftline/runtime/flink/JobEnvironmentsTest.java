package dev.driftline.runtime.flink;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.junit.jupiter.api.Test;

class JobEnvironmentsTest {
  @Test
  void everyRunUsesIncrementalCheckpointsAndRocksDbBloomFilters() {
    Configuration conf = JobEnvironments.state(new Configuration(), "rocksdb");

    assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    // The option is set by its key; RocksDB's own option must read it.
    assertThat(JobEnvironments.USE_BLOOM_FILTER.key()).isEqualTo(RocksDBConfigurableOptions.USE_BLOOM_FILTER.key());
    assertThat(conf.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
  }
}
