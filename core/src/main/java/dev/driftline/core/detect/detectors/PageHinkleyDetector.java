package dev.driftline.core.detect.detectors;

import dev.driftline.core.detect.Detection;
import dev.driftline.core.detect.OnlineDetector;
import dev.driftline.core.detect.Watch;
import dev.driftline.core.spec.SpecNode;
import java.io.Serializable;
import java.util.Locale;

/**
 * Page–Hinkley test for a rise of the per-window error rate ({@code policy.page_hinkley}). With
 * x̄_t the running mean of the values seen, it accumulates m_t = Σ (x_i - x̄_i - delta) and fires
 * when m_t - min m exceeds {@code lambda} after at least {@code min_windows} values; it then starts
 * over. Evidence: the window's error rate, and {@code lambda} as the threshold.
 */
public enum PageHinkleyDetector implements OnlineDetector<PageHinkleyDetector.Options, PageHinkleyDetector.State> {
  INSTANCE;

  /**
   * @param delta magnitude of change tolerated
   * @param lambda detection threshold on the cumulative deviation
   * @param minWindows windows seen before the detector may fire
   */
  public record Options(double delta, double lambda, int minWindows) implements Serializable {}

  /** Values since the last start, their running mean, the cumulative deviation and its minimum. */
  public static final class State {
    public long count;
    public double mean;
    public double sum;
    public double min;
  }

  @Override
  public String id() {
    return "page_hinkley";
  }

  @Override
  public String description() {
    return "Page-Hinkley test on the per-window error rate: fires when its cumulative rise above the running mean exceeds lambda.";
  }

  @Override
  public Options options(SpecNode options, Context context) {
    options.requireMapping("delta", "lambda", "min_windows");
    return new Options(
        options.get("delta").number(0.005, 0.0, Double.MAX_VALUE),
        options.get("lambda").number(0.5, Double.MIN_VALUE, Double.MAX_VALUE),
        options.get("min_windows").integer(5, 1, 10_000));
  }

  @Override
  public Watch watch(Options options) {
    return Watch.ERROR_RATE;
  }

  @Override
  public Class<State> stateType() {
    return State.class;
  }

  @Override
  public State start(Options options, long seed) {
    return new State();
  }

  @Override
  public Detection update(Options o, State s, double value) {
    s.count++;
    s.mean += (value - s.mean) / s.count;
    s.sum += value - s.mean - o.delta();
    s.min = Math.min(s.min, s.sum);
    if (s.count >= o.minWindows() && s.sum - s.min > o.lambda()) {
      String reason = String.format(Locale.ROOT, "Page-Hinkley: error rate rose (cumulative deviation %.4f > %.4f after %d windows)",
          s.sum - s.min, o.lambda(), s.count);
      s.count = 0;
      s.mean = 0;
      s.sum = 0;
      s.min = 0;
      return Detection.fired(reason, value, o.lambda());
    }
    return Detection.NONE;
  }
}
