package dev.driftline.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PassTimesTest {
  // 60 s windows, 30 s out-of-orderness: window [0, 60 s) closes when a partition reads 90 s.
  private final PassTimes times = new PassTimes(2, 60_000, 30_000);

  @Test
  void windowPassesAtTheFirstReadOfEndPlusOutOfOrderness() {
    assertThat(times.passedEnd(89_999)).isEqualTo(0);
    assertThat(times.passedEnd(90_000)).isEqualTo(60_000);
    assertThat(times.passedEnd(149_999)).isEqualTo(60_000);
    assertThat(times.passedEnd(150_000)).isEqualTo(120_000);
  }

  @Test
  void jobPassesWhenTheLastSourceSubtaskHas() {
    times.observe(0, 10_000, 1000);
    times.observe(1, 10_000, 1001);
    times.observe(0, 90_000, 2000);
    assertThat(times.passTimes()).as("subtask 1 has not passed 60 s yet").doesNotContainKey(60_000L);
    times.observe(0, 95_000, 2500);
    times.observe(1, 91_000, 3000);

    assertThat(times.passTimes()).containsEntry(60_000L, 3000L);
  }

  @Test
  void aGapPassesEveryWindowInItAtOnce() {
    times.observe(0, 90_000, 100);
    times.observe(1, 90_000, 100);
    times.observe(0, 300_000, 500);
    times.observe(1, 280_000, 700);

    Map<Long, Long> passed = times.passTimes();
    assertThat(passed).containsEntry(60_000L, 100L).containsEntry(120_000L, 700L).containsEntry(180_000L, 700L)
        .containsEntry(240_000L, 700L).doesNotContainKey(300_000L);
  }

  @Test
  void laterReadsDoNotMoveAPassTime() {
    times.observe(0, 90_000, 100);
    times.observe(1, 90_000, 200);
    times.observe(0, 95_000, 900);
    times.observe(1, 80_000, 950);

    assertThat(times.passTimes()).containsEntry(60_000L, 200L);
  }
}
