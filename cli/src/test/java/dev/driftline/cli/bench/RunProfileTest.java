package dev.driftline.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunProfileTest {
  @TempDir Path dir;

  @Test
  void aStageIsASubtaskThreadWithoutItsIndex() {
    assertThat(RunProfile.stage("join labels -> fan out (2/2)#0")).isEqualTo("join labels -> fan out");
    assertThat(RunProfile.stage("Source: predictions (1/2)#3")).isEqualTo("Source: predictions");
    assertThat(RunProfile.stage("driftline-bench-meter")).isNull();
    assertThat(RunProfile.stage(null)).isNull();
  }

  @Test
  void theBusiestStageAndItsHotMethodComeFirst() throws Exception {
    RunProfile profile = RunProfile.start(dir.resolve("run.jfr"));
    Thread busy = new Thread(RunProfileTest::spin, "summarize locally (1/2)#0");
    Thread idle = new Thread(() -> sleep(1_500), "decode predictions (2/2)#0");
    busy.start();
    idle.start();
    busy.join();
    idle.join();
    RunProfile.Summary summary = profile.stop();

    assertThat(Files.size(dir.resolve("run.jfr"))).isPositive();
    assertThat(summary.stages()).isNotEmpty();
    RunProfile.Stage first = summary.stages().get(0);
    assertThat(first.name()).isEqualTo("summarize locally");
    assertThat(first.samples()).isGreaterThan(20);
    assertThat(first.top().get(0).method()).isEqualTo(RunProfileTest.class.getName() + ".spin");
    assertThat(summary.markdown("drift")).contains("### drift", "| summarize locally | ",
        "`" + RunProfileTest.class.getName() + ".spin` ");
  }

  private static volatile double sink;

  /** About 1.5 s of CPU in this method alone. */
  private static void spin() {
    long end = System.nanoTime() + 1_500_000_000L;
    double x = 1;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 10_000; i++) {
        x = x * 1.0000001 + 1e-9;
      }
    }
    sink = x;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
