package dev.driftline.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KsPathsTest {

  /** A window of 20 values against a reference of 10,000: the shape every small window has. */
  @Test
  void jumpingOverColumnsOfOneBandGivesTheColumnWalksProbability() {
    int m = 10_000;
    int n = 20;
    int g = 20;
    long lcm = (long) m / g * n;
    for (long h = 1; h <= lcm; h += 97) {
      double walked = KsPaths.outerProbInside(m, n, g, h, false);
      double jumped = KsPaths.outerProbInside(m, n, g, h, true);
      assertThat(jumped).as("h=%d", h).isCloseTo(walked, within(1e-13));
    }
  }

  @Test
  void jumpingAgreesWithTheColumnWalkOnRandomSizesAndDistances() {
    SplittableRandom random = new SplittableRandom(20261207L);
    int compared = 0;
    int smallP = 0;
    for (int trial = 0; trial < 400; trial++) {
      int m = 1 + random.nextInt(10_000);
      int n = 1 + random.nextInt(trial % 4 == 0 ? 300 : 60);
      if (m == n) {
        continue;
      }
      int g = gcd(m, n);
      long lcm = (long) (Math.max(m, n) / g) * Math.min(m, n);
      long h = 1 + random.nextLong(lcm);
      double walked = KsPaths.outerProbInside(m, n, g, h, false);
      double jumped = KsPaths.outerProbInside(m, n, g, h, true);
      assertThat(jumped).as("m=%d n=%d h=%d", m, n, h).isCloseTo(walked, within(1e-12 + 1e-9 * walked));
      compared++;
      if (walked < 1e-3) {
        smallP++;
      }
    }
    assertThat(compared).isGreaterThan(350);
    assertThat(smallP).as("cases with p below 0.001").isGreaterThan(20);
  }

  /** The column walk is O(m × band); crossing runs of one band makes it O(n × band²). */
  @Test
  void aSmallWindowAgainstALargeReferenceCostsFarLessThanItsColumnWalk() {
    int m = 10_000;
    int n = 20;
    int g = 20;
    long lcm = (long) m / g * n;
    long[] hs = new long[200];
    for (int i = 0; i < hs.length; i++) {
      hs[i] = 1 + (lcm * (i + 1)) / (hs.length + 2) / 3;
    }
    double sink = 0;
    for (int warm = 0; warm < 3; warm++) {
      for (long h : hs) {
        sink += KsPaths.outerProbInside(m, n, g, h, true) + KsPaths.outerProbInside(m, n, g, h, false);
      }
    }
    long walkNanos = 0;
    long jumpNanos = 0;
    for (int round = 0; round < 5; round++) {
      long t0 = System.nanoTime();
      for (long h : hs) {
        sink += KsPaths.outerProbInside(m, n, g, h, false);
      }
      long t1 = System.nanoTime();
      for (long h : hs) {
        sink += KsPaths.outerProbInside(m, n, g, h, true);
      }
      long t2 = System.nanoTime();
      walkNanos += t1 - t0;
      jumpNanos += t2 - t1;
    }
    assertThat(sink).isPositive();
    assertThat(jumpNanos * 4).as("jump %d ns, walk %d ns", jumpNanos, walkNanos).isLessThan(walkNanos);
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
