package dev.driftline.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunMeterTest {
  @TempDir Path root;

  @Test
  void largestCheckpointCountsItsFilesAndTheSharedOnes() throws Exception {
    Path job = Files.createDirectories(root.resolve("0123abcd"));
    Files.write(Files.createDirectories(job.resolve("chk-1")).resolve("_metadata"), new byte[100]);
    Path chk2 = Files.createDirectories(job.resolve("chk-2"));
    Files.write(chk2.resolve("_metadata"), new byte[300]);
    Files.write(Files.createDirectories(chk2.resolve("op")).resolve("state"), new byte[200]);
    Files.write(Files.createDirectories(job.resolve("shared")).resolve("sst-1"), new byte[1000]);
    Files.write(Files.createDirectories(job.resolve("taskowned")).resolve("x"), new byte[5000]);

    assertThat(RunMeter.largestCheckpoint(root)).isEqualTo(1500);
  }

  @Test
  void noCheckpointYetIsZero() {
    assertThat(RunMeter.largestCheckpoint(root.resolve("missing"))).isZero();
    assertThat(RunMeter.largestCheckpoint(root)).isZero();
  }

  @Test
  void meterSeesHeapInUse() throws Exception {
    try (RunMeter meter = RunMeter.start(root)) {
      Thread.sleep(250);
      meter.close();
      assertThat(meter.peakHeapBytes()).isPositive();
      assertThat(meter.checkpointBytes()).isZero();
    }
  }
}
