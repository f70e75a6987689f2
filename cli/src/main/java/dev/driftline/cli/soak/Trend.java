package dev.driftline.cli.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How fast one measure of a soak run grows: the least-squares slope of its samples against time, in
 * the measure's unit per minute, and whether it exceeds its bound. Samples without a value are left
 * out; fewer than two values give no slope (NaN), which never exceeds a bound.
 *
 * @param measure the measure's name, as in the table ({@code heap_after_gc_bytes}, ...)
 * @param slopePerMinute least-squares slope in unit per minute, or NaN
 * @param bound the largest slope allowed, or null when the measure is only reported
 */
public record Trend(String measure, double slopePerMinute, Double bound) {

  /** A measure of a sample: its name, how to read it, and the bound on its slope (null: none). */
  public record Measure(String name, Function<SoakSample, ? extends Number> value, Double bound) {}

  public boolean exceeded() {
    return bound != null && !Double.isNaN(slopePerMinute) && slopePerMinute > bound;
  }

  /** The trend of every measure over {@code samples}, the samples taken before {@code fromMinute} left out. */
  public static List<Trend> of(List<SoakSample> samples, List<Measure> measures, double fromMinute) {
    List<Trend> out = new ArrayList<>();
    for (Measure m : measures) {
      List<double[]> points = new ArrayList<>();
      for (SoakSample s : samples) {
        Number v = m.value().apply(s);
        if (v != null && s.minute() >= fromMinute) {
          points.add(new double[] {s.minute(), v.doubleValue()});
        }
      }
      out.add(new Trend(m.name(), slope(points), m.bound()));
    }
    return out;
  }

  /** The least-squares slope of y against x over {@code points} ({x, y} pairs); NaN for fewer than two distinct x. */
  public static double slope(List<double[]> points) {
    int n = points.size();
    if (n < 2) {
      return Double.NaN;
    }
    double mx = 0;
    double my = 0;
    for (double[] p : points) {
      mx += p[0];
      my += p[1];
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    for (double[] p : points) {
      sxy += (p[0] - mx) * (p[1] - my);
      sxx += (p[0] - mx) * (p[0] - mx);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }
}
