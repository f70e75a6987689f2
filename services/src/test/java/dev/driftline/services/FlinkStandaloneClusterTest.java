package dev.driftline.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster's processes start from the resolved jars, register, and all stop on close. Jobs: DriftDetectionClusterIT. */
class FlinkStandaloneClusterTest {
  @Test
  void taskManagerRegistersItsSlotsAndCloseLeavesNoProcessBehind() throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("user.dir"), "target"), "flink-cluster-");
    List<ProcessHandle> before = ProcessHandle.current().children().toList();
    List<ProcessHandle> started;
    try (FlinkStandaloneCluster cluster = FlinkStandaloneCluster.start(dir)) {
      assertThat(cluster.taskManagers()).isEqualTo(1);
      started = ProcessHandle.current().children().filter(p -> !before.contains(p)).toList();
      assertThat(started).hasSize(2);
      assertThat(Files.readString(dir.resolve("taskmanager.log"))).contains("Successful registration at resource manager");
      assertThatThrownBy(cluster::killJobManager).hasMessageStartingWith("killJobManager: the cluster runs without high availability");
      assertThat(ProcessHandle.current().children().filter(p -> !before.contains(p))).hasSize(2);
    }
    assertThat(started).noneMatch(ProcessHandle::isAlive);
  }
}
