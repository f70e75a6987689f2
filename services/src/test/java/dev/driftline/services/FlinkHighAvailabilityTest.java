package dev.driftline.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.services.FlinkStandaloneCluster.HighAvailability;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The cluster's high-availability settings and checkpoint ids, without a cluster. Failover itself: DriftDetectionFaultsIT. */
class FlinkHighAvailabilityTest {
  @Test
  void zooKeeperSettingsNameTheQuorumClusterIdAndStorageOnDisk() {
    HighAvailability ha = HighAvailability.zooKeeper("127.0.0.1:2181", "/driftline");
    assertThat(ha.settings(Path.of("/nonexistent/flink/ha"))).containsExactly(
        "high-availability.type: zookeeper",
        "high-availability.zookeeper.quorum: 127.0.0.1:2181",
        "high-availability.cluster-id: /driftline",
        "high-availability.storageDir: 'file:///nonexistent/flink/ha'",
        "high-availability.zookeeper.client.session-timeout: 5 s",
        "high-availability.jobmanager.port: 0");
    assertThat(HighAvailability.none().settings(Path.of("/nonexistent/flink/ha"))).isEmpty();
    assertThat(HighAvailability.none().enabled()).isFalse();
  }

  @Test
  void aClusterIdMustBeOneZnodeName() {
    assertThatThrownBy(() -> HighAvailability.zooKeeper("127.0.0.1:2181", "driftline"))
        .hasMessage("cluster id: expected a znode name such as /driftline, got \"driftline\"");
    assertThatThrownBy(() -> new HighAvailability(null, "/driftline"))
        .hasMessage("expected a ZooKeeper quorum and a cluster id together, got quorum null and cluster id /driftline");
  }

  @Test
  void checkpointIdIsTheNumberInItsPath() {
    assertThat(FlinkStandaloneCluster.checkpointId("file:/x/checkpoints/36209a06/chk-17")).isEqualTo(17);
    assertThat(FlinkStandaloneCluster.checkpointId("file:/x/checkpoints/36209a06/chk-3/")).isEqualTo(3);
    assertThatThrownBy(() -> FlinkStandaloneCluster.checkpointId("file:/x/savepoints/savepoint-36209a-1a2b"))
        .hasMessage("not a checkpoint path (expected .../chk-N): file:/x/savepoints/savepoint-36209a-1a2b");
  }
}
