package dev.driftline.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UpdatePointsTest {
  static final long MINUTE = 60_000;
  static final long STEP = 10 * MINUTE;
  /** The window [00:10, 00:20) of 10-minute windows. */
  static final long END = Instant.parse("2026-11-02T00:20:00Z").toEpochMilli();

  @Test
  void aLabelBeforeTheWindowClosesCountsInItsFirstEmission() {
    assertThat(UpdatePoints.due(END - 5 * MINUTE, END, STEP)).isEqualTo(END - 1);
    assertThat(UpdatePoints.due(END - 1, END, STEP)).isEqualTo(END - 1);
  }

  @Test
  void aLaterLabelCountsAtTheFirstUpdatePointAtOrAfterItsTime() {
    assertThat(UpdatePoints.due(END, END, STEP)).isEqualTo(END + STEP - 1);
    assertThat(UpdatePoints.due(END + STEP - 1, END, STEP)).isEqualTo(END + STEP - 1);
    assertThat(UpdatePoints.due(END + STEP, END, STEP)).isEqualTo(END + 2 * STEP - 1);
    assertThat(UpdatePoints.due(END + 25 * MINUTE, END, STEP)).isEqualTo(END + 3 * STEP - 1);
  }

  @Test
  void afterIsStrictlyLater() {
    assertThat(UpdatePoints.after(END - 1, STEP)).isEqualTo(END + STEP - 1);
    assertThat(UpdatePoints.after(END - 2, STEP)).isEqualTo(END - 1);
    assertThat(UpdatePoints.after(-5, STEP)).isEqualTo(-1);
  }

  @Test
  void theLastPointHoldsALabelMaxDelayAfterTheLastPrediction() {
    long hour = Duration.ofHours(1).toMillis();
    assertThat(UpdatePoints.last(END, hour, STEP)).isEqualTo(END + hour - 1);
    assertThat(UpdatePoints.last(END, hour + 1, STEP)).isEqualTo(END + hour + STEP - 1);
    assertThat(UpdatePoints.last(END, 0, STEP)).isEqualTo(END - 1);
  }
}
