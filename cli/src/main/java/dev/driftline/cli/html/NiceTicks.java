package dev.driftline.cli.html;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Axis ticks at round values ("nice numbers"): the step is 1, 2, 2.5 or 5 × 10^k, the smallest of
 * those that covers {@code [min, max]} in at most {@code maxTicks} ticks; the first tick is at or
 * below {@code min}, the last at or above {@code max}. Labels all carry the same number of
 * decimals, just enough to show the step exactly, so no two labels of an axis are equal.
 *
 * <p>Values are computed as decimals (tick = i × step), so labels never show binary rounding
 * such as {@code 0.30000000000000004}. Stateless; thread-safe.
 *
 * @param values the ticks, ascending, at least two
 * @param labels one per value
 * @param step distance between consecutive ticks, > 0
 */
public record NiceTicks(List<Double> values, List<String> labels, double step) {
  private static final double[] MANTISSAS = {1, 2, 2.5, 5, 10};

  /** Ticks for {@code [min, max]} (finite, {@code min <= max}); a single value gets a unit-wide range. */
  public static NiceTicks of(double min, double max, int maxTicks) {
    if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
      throw new IllegalArgumentException("range is [" + min + ", " + max + "], expected finite min <= max");
    }
    if (maxTicks < 2) {
      throw new IllegalArgumentException("maxTicks is " + maxTicks + ", expected at least 2");
    }
    if (min == max) {
      double half = min == 0 ? 0.5 : Math.abs(min) * 0.1;
      min -= half;
      max += half;
    }
    double raw = (max - min) / (maxTicks - 1);
    int exponent = (int) Math.floor(Math.log10(raw));
    BigDecimal step = null;
    long first = 0;
    long last = 0;
    // Ceil of the raw step among the mantissas, then widen if rounding min/max outwards needs more ticks.
    for (int e = exponent; step == null; e++) {
      for (double m : MANTISSAS) {
        BigDecimal candidate = BigDecimal.valueOf(m).scaleByPowerOfTen(e).stripTrailingZeros();
        double s = candidate.doubleValue();
        if (s < raw * (1 - 1e-12)) {
          continue;
        }
        long lo = (long) Math.floor(min / s + 1e-9);
        long hi = (long) Math.ceil(max / s - 1e-9);
        if (hi - lo + 1 <= maxTicks) {
          step = candidate;
          first = lo;
          last = hi;
          break;
        }
      }
    }
    if (last == first) {
      last++;
    }
    int scale = Math.max(0, step.scale());
    List<Double> values = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (long i = first; i <= last; i++) {
      BigDecimal v = step.multiply(BigDecimal.valueOf(i)).setScale(scale, RoundingMode.UNNECESSARY);
      values.add(v.doubleValue());
      labels.add(v.signum() == 0 ? BigDecimal.ZERO.setScale(scale).toPlainString() : v.toPlainString());
    }
    return new NiceTicks(List.copyOf(values), List.copyOf(labels), step.doubleValue());
  }

  public double min() {
    return values.get(0);
  }

  public double max() {
    return values.get(values.size() - 1);
  }
}
