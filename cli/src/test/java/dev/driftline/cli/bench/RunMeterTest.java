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

  @Test
  void busyShareIsEverythingButIdleAndIowait() {
    // user nice system idle iowait irq softirq steal
    long[] start = {100, 0, 50, 1000, 10, 0, 0, 0};
    long[] end = {400, 0, 150, 1090, 20, 0, 0, 0};
    assertThat(RunMeter.busyShare(start, end)).isEqualTo(400.0 / 500.0);
    assertThat(RunMeter.busyShare(null, end)).isNull();
  }

  @Test
  void subtaskThreadsOfThisJvmAreMetered() throws Exception {
    Thread busy = new Thread(() -> {
      long until = System.nanoTime() + 1_200_000_000L;
      double x = 0;
      while (System.nanoTime() < until) {
        x += Math.sqrt(x + 1);
      }
    }, "summarize windows (2/2)#0");
    try (RunMeter meter = RunMeter.start(root)) {
      busy.start();
      busy.join();
      Thread.sleep(100);
      assertThat(meter.taskCpuMillis()).containsKey("summarize windows (2/2)#0");
      assertThat(meter.taskCpuMillis().get("summarize windows (2/2)#0")).isGreaterThan(100);
    }
  }
}
