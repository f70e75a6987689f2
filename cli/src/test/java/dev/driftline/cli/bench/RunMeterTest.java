package dev.driftline.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
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
    // start() takes the first heap sample itself, so no wait is needed before closing.
    try (RunMeter meter = RunMeter.start(root)) {
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
    // The thread burns 300 ms of its own CPU time, then stays alive until the meter has seen more than
    // 100 ms of it: a definite end instead of a guess at how long sampling takes on a busy machine.
    String name = "summarize windows (2/2)#0";
    CountDownLatch seen = new CountDownLatch(1);
    Thread busy = new Thread(() -> {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      double x = 0;
      while (threads.getCurrentThreadCpuTime() < 300_000_000L) {
        x += Math.sqrt(x + 1);
      }
      try {
        seen.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    try (RunMeter meter = RunMeter.start(root)) {
      busy.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (meter.taskCpuMillis().getOrDefault(name, 0L) <= 100) {
        assertThat(System.nanoTime()).as("the meter to see more than 100 ms of CPU of \"" + name + "\" within 60 s; "
            + "it saw " + meter.taskCpuMillis()).isLessThan(deadline);
        Thread.sleep(50);
      }
      assertThat(meter.taskCpuMillis().get(name)).isGreaterThan(100);
    } finally {
      seen.countDown();
      busy.join();
    }
  }
}
