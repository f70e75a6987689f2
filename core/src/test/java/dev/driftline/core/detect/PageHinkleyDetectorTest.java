package dev.driftline.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.detect.detectors.PageHinkleyDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageHinkleyDetectorTest {
  static final PageHinkleyDetector PH = PageHinkleyDetector.INSTANCE;

  @Test
  void firesWhenTheCumulativeRiseExceedsLambdaAndStartsOver() {
    PageHinkleyDetector.Options o = new PageHinkleyDetector.Options(0.0, 0.25, 3);
    PageHinkleyDetector.State s = PH.start(o, 0);
    List<Detection> out = new ArrayList<>();
    for (double x : new double[] {0.1, 0.1, 0.1, 0.4, 0.4}) {
      out.add(PH.update(o, s, x));
    }
    // By hand: means 0.1, 0.1, 0.1, 0.175, 0.22; deviations x - mean: 0, 0, 0, 0.225, 0.18;
    // cumulative 0.225 (not > 0.25) at the fourth value, 0.405 > 0.25 at the fifth.
    assertThat(out).extracting(Detection::fired).containsExactly(false, false, false, false, true);
    assertThat(out.get(4).reason()).isEqualTo("Page-Hinkley: error rate rose (cumulative deviation 0.4050 > 0.2500 after 5 windows)");
    assertThat(out.get(4).value()).isEqualTo(0.4);
    assertThat(out.get(4).threshold()).isEqualTo(0.25);
    assertThat(s.count).isZero();
    assertThat(s.sum).isZero();
  }

  @Test
  void waitsForMinWindowsBeforeFiring() {
    PageHinkleyDetector.Options o = new PageHinkleyDetector.Options(0.0, 0.1, 4);
    PageHinkleyDetector.State s = PH.start(o, 0);
    assertThat(PH.update(o, s, 0.0).fired()).isFalse();
    assertThat(PH.update(o, s, 1.0).fired()).as("deviation 0.5 > 0.1, but only 2 windows").isFalse();
    assertThat(PH.update(o, s, 1.0).fired()).isFalse();
    Detection d = PH.update(o, s, 1.0);
    assertThat(d.fired()).isTrue();
    assertThat(d.reason()).contains("after 4 windows");
  }

  @Test
  void deltaAbsorbsSmallRises() {
    PageHinkleyDetector.Options o = new PageHinkleyDetector.Options(0.05, 0.2, 1);
    PageHinkleyDetector.State s = PH.start(o, 0);
    for (int i = 0; i < 100; i++) {
      assertThat(PH.update(o, s, i % 2 == 0 ? 0.10 : 0.14).fired()).isFalse();
    }
    assertThat(s.sum).isLessThan(0);
    assertThat(s.mean).isCloseTo(0.12, within(1e-12));
  }
}
