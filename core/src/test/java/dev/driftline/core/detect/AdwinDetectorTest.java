package dev.driftline.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.detect.detectors.AdwinDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * ADWIN against the paper's cut rule and on seeded Bernoulli error streams (values 0/1, one per
 * window). No reference implementation runs here: expected numbers come from the formula, computed
 * by hand or in the test, and from the seeded streams themselves.
 */
class AdwinDetectorTest {
  static final AdwinDetector ADWIN = AdwinDetector.INSTANCE;
  static final AdwinDetector.Options DEFAULTS = new AdwinDetector.Options(0.002, 5);

  /** ε_cut = sqrt(2/m σ² ln(2/δ')) + 2/(3m) ln(2/δ'), m = 1/(1/n0 + 1/n1), δ' = δ / ln(n0 + n1). */
  static double paperEpsilon(long n0, long n1, double variance, double delta) {
    double m = 1.0 / (1.0 / n0 + 1.0 / n1);
    double l = Math.log(2 / (delta / Math.log(n0 + n1)));
    return Math.sqrt(2 / m * variance * l) + 2 / (3 * m) * l;
  }

  /** Bernoulli(p) errors, then Bernoulli(after) from value {@code change} on. */
  static double[] bernoulli(long seed, int n, double p, int change, double after) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.nextDouble() < (i < change ? p : after) ? 1 : 0;
    }
    return out;
  }

  /** Indices of the values on which the detector fired. */
  static List<Integer> fires(AdwinDetector.Options o, double[] values) {
    AdwinDetector.State s = ADWIN.start(o, 0);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      if (ADWIN.update(o, s, values[i]).fired()) {
        out.add(i);
      }
    }
    return out;
  }

  @Test
  void epsilonCutIsThePapersOnAHandComputedSplit() {
    // n0 = n1 = 40, σ² = 0.25 (half zeros, half ones), δ = 0.002:
    // m = 20; δ' = 0.002 / ln 80 = 0.002 / 4.382027 = 4.564098e-4; ln(2/δ') = ln 4382.027 = 8.385267
    // sqrt(2/20 · 0.25 · 8.385267) = sqrt(0.2096317) = 0.4578555; 2/(3·20) · 8.385267 = 0.2795089
    assertThat(AdwinDetector.epsilonCut(40, 40, 0.25, 0.002)).isCloseTo(0.7373644, within(1e-7));
    // Unequal halves weigh as their harmonic mean: n0 = 30, n1 = 10 is m = 7.5.
    assertThat(AdwinDetector.epsilonCut(30, 10, 0.1875, 0.002)).isCloseTo(1.3708742, within(1e-7));
  }

  @Test
  void cutsAtTheFirstSplitTheFormulaAllows() {
    // 40 windows without errors, then windows with errors only.
    AdwinDetector.State s = ADWIN.start(DEFAULTS, 0);
    for (int i = 0; i < 40; i++) {
      assertThat(ADWIN.update(DEFAULTS, s, 0).fired()).isFalse();
    }
    int ones = 0;
    Detection fired = Detection.NONE;
    while (!fired.fired()) {
      ones++;
      fired = ADWIN.update(DEFAULTS, s, 1);
    }
    assertThat(ones).isEqualTo(18);
    // With 17 ones no split of the 57 values, at a bucket boundary or anywhere else, has
    // |μ1 - μ0| > ε_cut: the exponential histogram did not delay the cut.
    int n = 57;
    double p = 17.0 / n;
    for (int n0 = 5; n0 <= n - 5; n0++) {
      double mean0 = Math.max(0, n0 - 40) / (double) n0;
      double mean1 = (17 - Math.max(0, n0 - 40)) / (double) (n - n0);
      assertThat(Math.abs(mean1 - mean0)).as("split at %d", n0).isLessThanOrEqualTo(paperEpsilon(n0, n - n0, p * (1 - p), 0.002));
    }
    // With 18 it cuts between the zeros and the ones: σ² = (18/58)(40/58) = 0.2140309, m = 12.413793,
    // ln(2/δ') = ln(1000 ln 58) = 8.308881, ε = 0.5352828 + 0.4462177 = 0.9815012 < 1.
    assertThat(fired.reason()).isEqualTo(
        "ADWIN: error rate rose from 0.0000 (older 40 windows) to 1.0000 (recent 18 windows): difference 1.0000 > ε_cut 0.9815");
    assertThat(fired.value()).isEqualTo(1.0);
    assertThat(fired.threshold()).isCloseTo(paperEpsilon(40, 18, 18.0 * 40 / (58 * 58), 0.002), within(1e-12))
        .isCloseTo(0.9815012, within(1e-7));
    // Only the oldest bucket (8 zeros) goes: the next split, 32 zeros | 18 ones of 50, needs
    // ε_cut = 0.5752 + 0.4787 = 1.0539 > 1. Later values shrink the window further.
    assertThat(AdwinDetector.width(s)).isEqualTo(50);
    assertThat(AdwinDetector.epsilonCut(32, 18, 0.36 * 0.64, 0.002)).isCloseTo(1.0539, within(1e-4));
  }

  @Test
  void aStationaryErrorRateGivesNoAlarm() {
    // Bernoulli(0.1), 2,000 windows, 20 seeds: no cut at all, so no false alarm; the whole stream stays in the window.
    for (long seed = 1; seed <= 20; seed++) {
      double[] errors = bernoulli(seed, 2000, 0.1, 2000, 0.1);
      assertThat(fires(DEFAULTS, errors)).as("seed %d", seed).isEmpty();
      AdwinDetector.State s = ADWIN.start(DEFAULTS, 0);
      for (double e : errors) {
        ADWIN.update(DEFAULTS, s, e);
      }
      assertThat(AdwinDetector.width(s)).isEqualTo(2000);
    }
  }

  @Test
  void detectsARiseFromTenToThirtyPercentWithinABoundedDelay() {
    // Bernoulli(0.1) for 1,000 windows, then Bernoulli(0.3); delay = windows after the change up to
    // and including the one that fires.
    List<Integer> delays = new ArrayList<>();
    for (long seed = 1; seed <= 20; seed++) {
      List<Integer> fired = fires(DEFAULTS, bernoulli(seed, 2000, 0.1, 1000, 0.3));
      assertThat(fired).as("seed %d: nothing before the change", seed).isNotEmpty().allMatch(i -> i >= 1000);
      delays.add(fired.get(0) - 1000 + 1);
    }
    assertThat(delays).containsExactly(93, 88, 43, 147, 84, 89, 99, 82, 67, 76, 128, 112, 99, 123, 145, 344, 92, 73, 63, 82);
    assertThat(delays.stream().mapToInt(Integer::intValue).average().orElseThrow()).isCloseTo(106.45, within(1e-9));
    assertThat(delays).allMatch(d -> d <= 350);
  }

  @Test
  void aFallingErrorRateShrinksTheWindowButDoesNotFire() {
    double[] errors = bernoulli(5, 2000, 0.3, 1000, 0.05);
    AdwinDetector.State s = ADWIN.start(DEFAULTS, 0);
    int fired = 0;
    for (double e : errors) {
      fired += ADWIN.update(DEFAULTS, s, e).fired() ? 1 : 0;
    }
    assertThat(fired).isZero();
    assertThat(AdwinDetector.width(s)).as("cuts dropped 960 of the 1,000 windows before the fall").isEqualTo(1040);
  }

  @Test
  void memoryGrowsWithTheLogarithmOfTheWindow() {
    AdwinDetector.State s = ADWIN.start(DEFAULTS, 0);
    for (double e : bernoulli(3, 100_000, 0.1, 100_000, 0.1)) {
      ADWIN.update(DEFAULTS, s, e);
    }
    assertThat(AdwinDetector.width(s)).isEqualTo(100_000);
    // rows of 1, 2, 4, ... values: log2(100,000 / 5) = 14.3, so 15 rows of at most M = 5 buckets
    assertThat(s.rows).hasSize(15).allSatisfy(row -> assertThat(row).hasSizeLessThanOrEqualTo(AdwinDetector.BUCKETS_PER_ROW));
  }

  @Test
  void decidesTheSameWhenItsStateGoesThroughJsonAfterEveryValue() {
    double[] errors = bernoulli(9, 1500, 0.1, 700, 0.3);
    DetectorSpec<AdwinDetector.Options, AdwinDetector.State> spec = new DetectorSpec<>(ADWIN, DEFAULTS);
    TreeMap<String, JsonNode> states = new TreeMap<>();
    List<Integer> viaJson = new ArrayList<>();
    for (int i = 0; i < errors.length; i++) {
      if (spec.feed(states, errors[i], 0).fired()) {
        viaJson.add(i);
      }
    }
    assertThat(viaJson).isNotEmpty().containsExactlyElementsOf(fires(DEFAULTS, errors));
    assertThat(states.get("adwin").get("rows").isArray()).isTrue();
  }
}
