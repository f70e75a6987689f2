package dev.driftline.core.detect.detectors;

import dev.driftline.core.detect.Detection;
import dev.driftline.core.detect.OnlineDetector;
import dev.driftline.core.detect.Watch;
import dev.driftline.core.drift.DriftTests;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.SpecNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * A one-sided CUSUM whose threshold is calibrated to an expected run time between false alarms
 * ({@code policy.ert}): the user states how many windows should pass, on average, between two
 * alarms while nothing has changed, rather than a threshold in the statistic's units.
 *
 * <p>The first {@code warmup_windows} values of the watched series (the error rate, or one drift
 * test's statistic on one feature) are the in-control sample: their mean μ and sample standard
 * deviation σ standardize every later value, z = (x - μ) / σ, and the CUSUM is
 * S_t = max(0, S_{t-1} + z_t - {@value #ALLOWANCE}), firing when S_t > h and then starting again
 * from 0. The allowance of half a σ makes it quickest for rises of about one σ.
 *
 * <p>h is found by simulation when the warm-up completes: {@value #CALIBRATION_RUNS} runs of the
 * CUSUM on values drawn with replacement from the warm-up (a bootstrap), each until its first
 * alarm or {@value #CAP_FACTOR} × the asked run length, give a mean run length for a candidate h;
 * bisection on h stops when that mean is within {@value #TOLERANCE} (relative) of the run length
 * aimed at (the asked one, corrected for the warm-up's size: below), else after 60 halvings on the
 * smallest h found whose mean reaches it (values with few
 * distinct levels make the mean jump with h: it is then at or above the asked one, by the jump).
 * The mean of 1,000 runs has a standard error of about 3% of itself. The random numbers come from a
 * {@link SplittableRandom} seeded per (model, segment, spec) and each run has its own stream, so
 * the runs are the same for every candidate h (the mean is then monotone in h) and the same input
 * gives the same h, bit for bit, on every run and restore. μ, σ and h are kept in the state.
 *
 * <p>Two corrections for a finite warm-up of n windows. The bootstrap draws are spread about μ by
 * {@code sqrt(n / (n − 1))}, so that their variance is σ² (resampling alone gives the smaller
 * {@code (n − 1) σ² / n}). And the bootstrap aims at {@code (1 + }{@value #WARMUP_CORRECTION}{@code / n)}
 * times the asked run length: the warm-up's own values have a lighter tail than the process has,
 * so h fitted on them alone comes out too small, and the errors of μ and σ spread the realised
 * run length around what the bootstrap says. Without it, with 100 warm-up windows of an error
 * rate and 500 asked, the median realised run length over warm-ups was 433 (300 warm-ups,
 * 100 fresh runs each), 452 with the spread alone; the constant is what brings that median to
 * the asked one. STATISTICS.md measures it for warm-ups of 100 and 300.
 *
 * <p>The calibration's assumption: in-control windows are exchangeable with the warm-up ones
 * (independent draws from the same distribution). Windows that are correlated (a slow daily
 * cycle), or a warm-up too short to show the distribution's tail, make the real run length
 * shorter or longer than asked. A warm-up of identical values has σ = 0; σ is then floored at
 * 1e-9 (relative to μ) and h is 0: the first value above the warm-up's fires.
 *
 * <p>Evidence: the CUSUM statistic S and the threshold h.
 */
public enum ErtCusumDetector implements OnlineDetector<ErtCusumDetector.Options, ErtCusumDetector.State> {
  INSTANCE;

  /** The CUSUM's allowance k, in warm-up standard deviations. */
  public static final double ALLOWANCE = 0.5;
  /** Simulated runs per candidate threshold: the mean run length's standard error is about 3% of it. */
  public static final int CALIBRATION_RUNS = 1000;
  /** Bisection stops when the simulated mean run length is this close (relative) to the asked one. */
  public static final double TOLERANCE = 0.005;
  /** A simulated run stops at this many times the asked run length. */
  public static final int CAP_FACTOR = 20;
  private static final int MAX_BISECTIONS = 60;
  /** The bootstrap aims at {@code (1 + WARMUP_CORRECTION / n)} × the asked run length for a warm-up of n windows. */
  public static final double WARMUP_CORRECTION = 10;

  /**
   * @param expectedRunWindows the mean number of windows between false alarms asked for
   * @param warmupWindows values that form the in-control sample
   * @param watch the error rate, or one feature's drift statistic
   */
  public record Options(int expectedRunWindows, int warmupWindows, Watch watch) implements Serializable {}

  /**
   * The warm-up's mean and standard deviation, the threshold h, and the mean run length the
   * calibration measured with it on the bootstrap.
   */
  public record Calibration(double mean, double sd, double threshold, double simulatedRunLength) {}

  /**
   * A simulated mean run length: {@code runs} runs, {@code capped} of which reached the cap before
   * an alarm (they count as the cap).
   */
  public record RunLength(double mean, double standardError, int runs, int capped) {
    /** The half width of a 95% confidence interval for the mean. */
    public double halfWidth95() {
      return 1.96 * standardError;
    }
  }

  /** The warm-up so far, then the calibration and the running CUSUM. */
  public static final class State {
    /** Seeds the calibration's random numbers. */
    public long seed;
    /** What the state was built for: a spec asking for other values starts afresh. */
    public int expectedRunWindows;
    public int warmupWindows;
    public String watch;
    /** The warm-up values until the calibration, then empty. */
    public List<Double> warmup = new ArrayList<>();
    /** Null during the warm-up. */
    public Calibration calibration;
    public double cusum;
    /** Windows since the calibration or the last alarm. */
    public long windows;
  }

  @Override
  public String id() {
    return "ert";
  }

  @Override
  public String description() {
    return "One-sided CUSUM on the error rate or a feature's drift statistic, its threshold simulated from a warm-up "
        + "so that false alarms come every expected_run_windows windows on average.";
  }

  @Override
  public Options options(SpecNode options, Context context) {
    options.requireMapping("expected_run_windows", "warmup_windows", "watch", "test");
    SpecNode ert = options.get("expected_run_windows");
    if (!ert.isPresent()) {
      throw ert.error("required, missing; expected the mean number of windows between false alarms, e.g. 500");
    }
    int expected = ert.integer(0, 10, 10_000);
    int warmup = options.get("warmup_windows").integer(100, 20, 1_000);
    SpecNode watchNode = options.get("watch");
    SpecNode testNode = options.get("test");
    String watched = watchNode.optionalString("error_rate");
    if (watched.equals("error_rate")) {
      if (testNode.isPresent()) {
        throw testNode.error("only with a feature to watch; the error rate has no test");
      }
      return new Options(expected, warmup, Watch.ERROR_RATE);
    }
    FeatureSpec feature = context.feature(watched).orElseThrow(() -> watchNode.error(
        "expected error_rate or the name of a declared feature, got \"" + watched + "\""));
    // With auto, each window's result carries the test chosen for it: any test of the feature's type may appear.
    List<String> configured = context.testIds(feature);
    List<String> tests = configured.contains("auto")
        ? DriftTests.idsFor(feature.type()).stream().filter(t -> !t.equals("auto")).toList() : configured;
    String test;
    if (testNode.isPresent()) {
      test = testNode.requiredString();
      if (!tests.contains(test)) {
        throw testNode.error("expected a test run on feature " + watched + ", one of " + String.join("|", tests)
            + ", got \"" + test + "\"");
      }
    } else if (configured.get(0).equals("auto")) {
      throw testNode.error("required for feature " + watched + ", whose test is chosen per window (auto); "
          + "expected the test whose statistic to watch, one of " + String.join("|", tests));
    } else {
      test = configured.get(0);
    }
    return new Options(expected, warmup, Watch.statistic(watched, test));
  }

  @Override
  public Watch watch(Options options) {
    return options.watch();
  }

  @Override
  public Class<State> stateType() {
    return State.class;
  }

  @Override
  public State start(Options o, long seed) {
    State s = new State();
    s.seed = seed;
    s.expectedRunWindows = o.expectedRunWindows();
    s.warmupWindows = o.warmupWindows();
    s.watch = o.watch().key();
    return s;
  }

  @Override
  public boolean fits(Options o, State s) {
    return s.expectedRunWindows == o.expectedRunWindows() && s.warmupWindows == o.warmupWindows()
        && o.watch().key().equals(s.watch);
  }

  @Override
  public Detection update(Options o, State s, double value) {
    if (s.calibration == null) {
      s.warmup.add(value);
      if (s.warmup.size() >= o.warmupWindows()) {
        s.calibration = calibrate(s.warmup.stream().mapToDouble(Double::doubleValue).toArray(), o.expectedRunWindows(), s.seed);
        s.warmup = new ArrayList<>();
      }
      return Detection.NONE;
    }
    Calibration c = s.calibration;
    s.cusum = step(c, s.cusum, value);
    s.windows++;
    if (s.cusum > c.threshold()) {
      String reason = String.format(Locale.ROOT,
          "ERT CUSUM: %s rose (CUSUM %.4f > h %.4f after %d windows; in control: mean %.4f, sd %.4f over %d warm-up windows, "
              + "h set for a false alarm every %d windows)",
          o.watch().describe(), s.cusum, c.threshold(), s.windows, c.mean(), c.sd(), o.warmupWindows(), o.expectedRunWindows());
      Detection d = Detection.fired(reason, s.cusum, c.threshold());
      s.cusum = 0;
      s.windows = 0;
      return d;
    }
    return Detection.NONE;
  }

  /** One CUSUM step: the statistic after value {@code x}. */
  public static double step(Calibration c, double cusum, double x) {
    return Math.max(0, cusum + (x - c.mean()) / c.sd() - ALLOWANCE);
  }

  /**
   * The threshold h for which the CUSUM, on values drawn with replacement from {@code warmup}, has a
   * mean run length of about {@code expectedRunWindows} corrected for the warm-up's size (see the
   * class comment).
   */
  public static Calibration calibrate(double[] warmup, int expectedRunWindows, long seed) {
    int n = warmup.length;
    double mean = 0;
    for (double v : warmup) {
      mean += v;
    }
    mean /= n;
    double ss = 0;
    for (double v : warmup) {
      ss += (v - mean) * (v - mean);
    }
    double sd = Math.max(Math.sqrt(ss / (n - 1)), 1e-9 * Math.max(1, Math.abs(mean)));
    double m = mean;
    double s = sd;
    double spread = Math.sqrt(n / (n - 1.0));
    ToDoubleFunction<SplittableRandom> bootstrap = r -> m + (warmup[r.nextInt(n)] - m) * spread;
    double target = expectedRunWindows * (1 + WARMUP_CORRECTION / n);
    long cap = (long) CAP_FACTOR * expectedRunWindows;
    java.util.function.DoubleUnaryOperator meanRun = h ->
        runLength(new Calibration(m, s, h, 0), bootstrap, CALIBRATION_RUNS, cap, seed).mean();

    double at0 = meanRun.applyAsDouble(0);
    if (at0 >= target) {
      return new Calibration(mean, sd, 0, at0);
    }
    double lo = 0;
    double hi = 1;
    double atHi = meanRun.applyAsDouble(hi);
    while (atHi < target) {
      lo = hi;
      hi *= 2;
      atHi = meanRun.applyAsDouble(hi);
    }
    for (int i = 0; i < MAX_BISECTIONS && Math.abs(atHi - target) > TOLERANCE * target; i++) {
      double mid = (lo + hi) / 2;
      double atMid = meanRun.applyAsDouble(mid);
      if (atMid < target) {
        lo = mid;
      } else {
        hi = mid;
        atHi = atMid;
      }
    }
    return new Calibration(mean, sd, hi, atHi);
  }

  /**
   * The mean run length to the first alarm of the CUSUM with calibration {@code c} on values from
   * {@code values}, over {@code runs} simulated runs of at most {@code cap} windows each. Each run
   * draws from its own {@link SplittableRandom}, seeded in turn from {@code seed}: the same seed
   * gives the same runs. With an in-control generator this measures the realised expected run time
   * (e.g. "asked 500, measured 487 ± 30"); with a shifted one, the mean detection delay.
   */
  public static RunLength runLength(Calibration c, ToDoubleFunction<SplittableRandom> values, int runs, long cap, long seed) {
    SplittableRandom seeds = new SplittableRandom(seed);
    double sum = 0;
    double sumSquares = 0;
    int capped = 0;
    for (int r = 0; r < runs; r++) {
      SplittableRandom random = new SplittableRandom(seeds.nextLong());
      double cusum = 0;
      long t = 0;
      while (true) {
        t++;
        cusum = step(c, cusum, values.applyAsDouble(random));
        if (cusum > c.threshold()) {
          break;
        }
        if (t >= cap) {
          capped++;
          break;
        }
      }
      sum += t;
      sumSquares += (double) t * t;
    }
    double mean = sum / runs;
    double variance = runs > 1 ? Math.max(0, (sumSquares - runs * mean * mean) / (runs - 1)) : 0;
    return new RunLength(mean, Math.sqrt(variance / runs), runs, capped);
  }
}
