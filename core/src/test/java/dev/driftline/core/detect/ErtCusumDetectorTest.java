package dev.driftline.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.detect.detectors.ErtCusumDetector;
import dev.driftline.core.detect.detectors.ErtCusumDetector.Calibration;
import dev.driftline.core.detect.detectors.ErtCusumDetector.RunLength;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * The ERT-calibrated CUSUM: its threshold against Siegmund's approximation, the run lengths it
 * gives on in-control and shifted values (measured by simulation, 300 streams each), and its
 * determinism. Error rates are windows of 200 predictions, each wrong with probability p: only
 * {@code nextDouble} comparisons, so every number here is the same on every platform.
 */
class ErtCusumDetectorTest {
  static final ErtCusumDetector ERT = ErtCusumDetector.INSTANCE;
  static final int STREAMS = 300;

  /** The error rate of a window of 200 predictions, each wrong with probability p. */
  static ToDoubleFunction<SplittableRandom> errorRate(double p) {
    return r -> {
      int errors = 0;
      for (int i = 0; i < 200; i++) {
        errors += r.nextDouble() < p ? 1 : 0;
      }
      return errors / 200.0;
    };
  }

  /** sd of that error rate: sqrt(p (1 - p) / 200). */
  static final double SD = Math.sqrt(0.1 * 0.9 / 200);

  static double[] draw(ToDoubleFunction<SplittableRandom> values, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = values.applyAsDouble(r);
    }
    return out;
  }

  /** Siegmund's approximation of a one-sided CUSUM's mean run length for a shift of {@code mu} sd, allowance k. */
  static double siegmund(double h, double k, double mu) {
    double d = mu - k;
    double b = h + 1.166;
    return d == 0 ? b * b : (Math.exp(-2 * d * b) + 2 * d * b - 1) / (2 * d * d);
  }

  /** The h at which Siegmund's in-control run length is {@code arl}, by bisection. */
  static double siegmundThreshold(double arl) {
    double lo = 0;
    double hi = 20;
    for (int i = 0; i < 200; i++) {
      double mid = (lo + hi) / 2;
      if (siegmund(mid, 0.5, 0) < arl) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  @Test
  void thresholdForNormalValuesIsSiegmunds() {
    // A warm-up of the 1,000 normal quantiles Φ⁻¹((i + 0.5) / 1000): the bootstrap is then normal data.
    NormalDistribution normal = new NormalDistribution(0, 1);
    double[] quantiles = new double[1000];
    for (int i = 0; i < quantiles.length; i++) {
      quantiles[i] = normal.inverseCumulativeProbability((i + 0.5) / quantiles.length);
    }
    Calibration c200 = ErtCusumDetector.calibrate(quantiles, 200, 42);
    Calibration c1000 = ErtCusumDetector.calibrate(quantiles, 1000, 42);
    // Siegmund: ARL = (e^{2k b} - 2k b - 1) / (2k²), b = h + 1.166, k = 0.5: h = 3.4942 for 200, 5.0630 for 1000.
    assertThat(siegmundThreshold(200)).isCloseTo(3.4942, within(1e-4));
    assertThat(siegmundThreshold(1000)).isCloseTo(5.0630, within(1e-4));
    assertThat(c200.threshold()).isEqualTo(3.48046875).isCloseTo(siegmundThreshold(200), within(0.05));
    assertThat(c1000.threshold()).isEqualTo(5.04296875).isCloseTo(siegmundThreshold(1000), within(0.05));
    // The bootstrap aims at the asked run length times 1 + 10 / 1000 (the warm-up correction).
    assertThat(c200.simulatedRunLength()).isCloseTo(202, within(202 * ErtCusumDetector.TOLERANCE));
    assertThat(c1000.simulatedRunLength()).isCloseTo(1010, within(1010 * ErtCusumDetector.TOLERANCE));
  }

  @Test
  void inControlRunLengthIsTheAskedOne() {
    // 200 warm-up windows at 10% error; ERT asked: 200 windows.
    double[] warmup = draw(errorRate(0.1), 200, 1);
    Calibration c = ErtCusumDetector.calibrate(warmup, 200, 42);
    // i.i.d. from the warm-up's values (with other random numbers than the calibration's, which also spreads them by
    // sqrt(200 / 199) and aims at 200 · (1 + 10 / 200) = 210)
    RunLength bootstrap = ErtCusumDetector.runLength(c, r -> warmup[r.nextInt(warmup.length)], STREAMS, 4000, 7);
    assertThat(bootstrap.mean()).isEqualTo(240.69333333333333);
    assertThat(bootstrap.halfWidth95()).isCloseTo(26.20, within(0.01));
    assertThat(bootstrap.mean()).isCloseTo(210, within(42.0)); // ±20%: ~3 standard errors of 300 streams and of the calibration's 1,000
    assertThat(bootstrap.capped()).isZero();
  }

  @Test
  void aRiseOfOneSdIsDetectedWithinAFewWindows() {
    double[] warmup = draw(errorRate(0.1), 200, 1);
    Calibration c = ErtCusumDetector.calibrate(warmup, 200, 42);
    // Error rate from 10% to 10% + 1 sd (2.12 points), from the start of a run (no head start).
    RunLength delay = ErtCusumDetector.runLength(c, errorRate(0.1 + SD), STREAMS, 4000, 8);
    assertThat(delay.mean()).isCloseTo(8.8533, within(1e-4));
    assertThat(delay.mean()).isLessThanOrEqualTo(10);
    // Siegmund's approximation for a 1 sd shift at this h (normal data, continuous) says 7.71.
    assertThat(siegmund(c.threshold(), 0.5, 1.0)).isCloseTo(7.7071, within(1e-4));
  }

  @Test
  void aShortWarmUpGivesRunLengthsFarFromTheAskedOne() {
    // The calibration meets the ERT on the warm-up's own distribution; the real one differs by what
    // the warm-up says about its mean, sd and tail. Asked 200, measured on fresh 10% error windows
    // after five warm-ups each of 30, 100 and 300 windows:
    List<List<Long>> measured = new ArrayList<>();
    for (int windows : new int[] {30, 100, 300}) {
      List<Long> runs = new ArrayList<>();
      for (long seed = 1; seed <= 5; seed++) {
        Calibration c = ErtCusumDetector.calibrate(draw(errorRate(0.1), windows, seed), 200, 42);
        runs.add(Math.round(ErtCusumDetector.runLength(c, errorRate(0.1), STREAMS, 4000, 7).mean()));
      }
      measured.add(runs);
    }
    assertThat(measured).isEqualTo(List.of(List.of(3266L, 70L, 2363L, 1776L, 59L), List.of(598L, 141L, 537L, 427L, 93L),
        List.of(227L, 143L, 498L, 126L, 157L)));
  }

  @Test
  void theSameWarmUpGivesTheSameThresholdBits() {
    double[] warmup = draw(errorRate(0.1), 30, 3);
    long a = Double.doubleToRawLongBits(ErtCusumDetector.calibrate(warmup, 500, 42).threshold());
    long b = Double.doubleToRawLongBits(ErtCusumDetector.calibrate(warmup.clone(), 500, 42).threshold());
    assertThat(a).isEqualTo(b);
    assertThat(Double.longBitsToDouble(a)).isEqualTo(4.902013856519741);
    assertThat(ErtCusumDetector.calibrate(warmup, 500, 43).threshold()).as("another seed").isEqualTo(4.729494267862499);
  }

  @Test
  void aWarmUpWithoutSpreadFiresOnTheFirstValueAboveIt() {
    ErtCusumDetector.Options o = new ErtCusumDetector.Options(100, 10, Watch.ERROR_RATE);
    ErtCusumDetector.State s = ERT.start(o, 5);
    for (int i = 0; i < 10; i++) {
      assertThat(ERT.update(o, s, 0.1).fired()).isFalse();
    }
    assertThat(s.calibration.threshold()).isZero();
    assertThat(s.calibration.sd()).isEqualTo(1e-9);
    assertThat(ERT.update(o, s, 0.1).fired()).isFalse();
    assertThat(ERT.update(o, s, 0.0).fired()).isFalse();
    assertThat(ERT.update(o, s, 0.1 + 1e-8).fired()).isTrue();
  }

  @Test
  void warmsUpThenFiresAndStartsTheCusumAgain() {
    ErtCusumDetector.Options o = new ErtCusumDetector.Options(200, 30, Watch.ERROR_RATE);
    ErtCusumDetector.State s = ERT.start(o, 11);
    double[] values = draw(errorRate(0.1), 60, 4);
    List<Integer> fired = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      Detection d = ERT.update(o, s, i < 60 ? values[i] : 0.14);
      if (d.fired()) {
        fired.add(i);
        assertThat(d.reason()).startsWith("ERT CUSUM: error rate rose (CUSUM ");
        assertThat(d.threshold()).isEqualTo(s.calibration.threshold());
        assertThat(d.value()).isGreaterThan(d.threshold());
      }
      assertThat(s.calibration == null).isEqualTo(i < 29);
    }
    // 0.14 is about 1.9 sd above the warm-up: z - k is about 1.4 a window against h of about 3.5,
    // so it fires on the third window after the rise and every fourth after each restart.
    assertThat(fired).containsExactly(62, 66, 70, 74, 78);
    assertThat(s.warmup).isEmpty();
  }

  @Test
  void decidesTheSameWhenItsStateGoesThroughJsonAfterEveryValue() {
    ErtCusumDetector.Options o = new ErtCusumDetector.Options(100, 20, Watch.ERROR_RATE);
    DetectorSpec<ErtCusumDetector.Options, ErtCusumDetector.State> spec = new DetectorSpec<>(ERT, o);
    double[] values = new double[300];
    double[] inControl = draw(errorRate(0.1), 300, 6);
    double[] risen = draw(errorRate(0.13), 300, 7);
    for (int i = 0; i < 300; i++) {
      values[i] = i < 150 ? inControl[i] : risen[i];
    }
    TreeMap<String, JsonNode> states = new TreeMap<>();
    ErtCusumDetector.State direct = ERT.start(o, 99);
    List<Integer> viaJson = new ArrayList<>();
    List<Integer> inMemory = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      if (spec.feed(states, values[i], 99).fired()) {
        viaJson.add(i);
      }
      if (ERT.update(o, direct, values[i]).fired()) {
        inMemory.add(i);
      }
    }
    assertThat(viaJson).isNotEmpty().containsExactlyElementsOf(inMemory);
    assertThat(states.get("ert").get("calibration").get("threshold").asDouble()).isEqualTo(direct.calibration.threshold());
  }

  @Test
  void aSpecAskingForAnotherRunLengthStartsTheWarmUpAgain() {
    ErtCusumDetector.Options before = new ErtCusumDetector.Options(100, 20, Watch.ERROR_RATE);
    ErtCusumDetector.State s = ERT.start(before, 1);
    assertThat(ERT.fits(before, s)).isTrue();
    assertThat(ERT.fits(new ErtCusumDetector.Options(200, 20, Watch.ERROR_RATE), s)).isFalse();
    assertThat(ERT.fits(new ErtCusumDetector.Options(100, 30, Watch.ERROR_RATE), s)).isFalse();
    assertThat(ERT.fits(new ErtCusumDetector.Options(100, 20, Watch.statistic("income", "ks")), s)).isFalse();
  }
}
