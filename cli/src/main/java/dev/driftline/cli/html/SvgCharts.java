package dev.driftline.cli.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's charts as inline SVG: lines over windows (one series per name, with an optional
 * limit line) and bar pairs of a reference and a current distribution. Axes are {@link NiceTicks};
 * legends are HTML below the chart, readable for any number of series.
 */
final class SvgCharts {
  /** 20 colours told apart side by side (Tableau 20, darker of each pair first). */
  private static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
      "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
      "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5"};

  private SvgCharts() {}

  /**
   * One polyline per series over {@code windows} (in order, evenly spaced), values from 0 up; a
   * dashed red line at {@code limit} unless it is NaN.
   */
  static void lines(StringBuilder h, List<String> windows, TreeMap<String, TreeMap<String, Double>> series, double limit) {
    int width = 900;
    int height = 220;
    int left = 48;
    int bottom = 20;
    double max = Double.isNaN(limit) ? 0 : limit;
    for (var s : series.values()) {
      for (double v : s.values()) {
        max = Math.max(max, v);
      }
    }
    NiceTicks ticks = NiceTicks.of(0, max <= 0 ? 1 : max, 6);
    double top = ticks.max();
    h.append("<svg class=\"chart\" width=\"").append(width + 10).append("\" height=\"").append(height + 10)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"10\">");
    yAxis(h, ticks, left, width, height, bottom);
    if (!Double.isNaN(limit)) {
      double y = y(limit, top, height, bottom);
      h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/>",
          left, y, width, y));
    }
    int k = 0;
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, TreeMap<String, Double>> e : series.entrySet()) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < windows.size(); i++) {
        Double v = e.getValue().get(windows.get(i));
        if (v != null) {
          double x = left + (width - left) * (windows.size() == 1 ? 0.5 : (double) i / (windows.size() - 1));
          points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y(v, top, height, bottom)));
        }
      }
      h.append("<polyline fill=\"none\" stroke=\"").append(color(k)).append("\" stroke-width=\"1.5\"")
          .append(dash(k)).append(" points=\"").append(points.toString().trim()).append("\"><title>")
          .append(Html.esc(e.getKey())).append("</title></polyline>");
      names.add(e.getKey());
      k++;
    }
    h.append("<text x=\"").append(left).append("\" y=\"").append(height - 4).append("\">").append(Html.esc(windows.get(0)))
        .append("</text><text x=\"").append(width - 120).append("\" y=\"").append(height - 4).append("\">")
        .append(Html.esc(windows.get(windows.size() - 1))).append("</text></svg>");
    legend(h, names);
  }

  /** Bar pairs, reference (grey) beside current (blue), as shares of each side's total. */
  static void barPairs(StringBuilder h, FeatureDistribution d) {
    int bins = d.reference().length;
    long refTotal = Math.max(1, d.referenceTotal());
    long curTotal = Math.max(1, d.currentTotal());
    double max = 0;
    for (int i = 0; i < bins; i++) {
      max = Math.max(max, Math.max((double) d.reference()[i] / refTotal, (double) d.current()[i] / curTotal));
    }
    NiceTicks ticks = NiceTicks.of(0, max <= 0 ? 1 : max, 6);
    // Room on the left for the first bin's slanted label as well as the tick labels.
    int left = 90;
    int group = Math.max(24, Math.min(44, 600 / Math.max(1, bins)));
    int width = left + group * bins + 10;
    int plot = 170;
    int bottom = 20;
    int labelSpace = 70;
    int height = plot + labelSpace;
    h.append("<svg class=\"distribution\" data-feature=\"").append(Html.esc(d.feature())).append("\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"10\">");
    yAxis(h, ticks, left, width - 10, plot, bottom);
    double bar = (group - 6) / 2.0;
    for (int i = 0; i < bins; i++) {
      double x = left + group * i + 3;
      double r = (double) d.reference()[i] / refTotal;
      double c = (double) d.current()[i] / curTotal;
      String label = d.labels().get(i);
      bar(h, "ref", i, d.reference()[i], r, x, bar, ticks.max(), plot, bottom, "#9a9a9a", label + ": reference ");
      bar(h, "cur", i, d.current()[i], c, x + bar, bar, ticks.max(), plot, bottom, "#1f77b4", label + ": current ");
      double lx = x + bar;
      double ly = plot - bottom + 12;
      String shown = label.length() > 22 ? label.substring(0, 21) + "…" : label;
      h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" transform=\"rotate(-35 %.1f %.1f)\">",
          lx, ly, lx, ly)).append(Html.esc(shown)).append("<title>").append(Html.esc(label)).append("</title></text>");
    }
    h.append("</svg><ul class=\"keys\"><li><i class=\"sw\" style=\"background:#9a9a9a\"></i>reference (n=")
        .append(d.referenceTotal()).append(")</li><li><i class=\"sw\" style=\"background:#1f77b4\"></i>current (n=")
        .append(d.currentTotal()).append(")</li></ul>");
  }

  private static void bar(StringBuilder h, String cls, int bin, long count, double share, double x, double w, double top,
      int plot, int bottom, String color, String title) {
    double y = y(share, top, plot, bottom);
    h.append(String.format(Locale.ROOT,
        "<rect class=\"%s\" data-bin=\"%d\" data-count=\"%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
        cls, bin, count, x, y, w, Math.max(0, plot - bottom - y), color))
        .append("<title>").append(Html.esc(title)).append(count).append(String.format(Locale.ROOT, " (%.1f%%)", 100 * share))
        .append("</title></rect>");
  }

  /** Horizontal grid lines and labels at {@code ticks}, which span the axis from bottom to top. */
  private static void yAxis(StringBuilder h, NiceTicks ticks, int left, int width, int height, int bottom) {
    h.append("<line x1=\"").append(left).append("\" y1=\"").append(height - bottom).append("\" x2=\"").append(width)
        .append("\" y2=\"").append(height - bottom).append("\" stroke=\"#999\"/>");
    for (int t = 0; t < ticks.values().size(); t++) {
      double y = y(ticks.values().get(t), ticks.max(), height, bottom);
      h.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>"
              + "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>",
          left - 4, y + 3, ticks.labels().get(t), left, y, width, y));
    }
  }

  /** A legend as wrapping HTML below the chart: readable for any number of series. */
  private static void legend(StringBuilder h, List<String> names) {
    h.append("<ul class=\"keys\">");
    for (int k = 0; k < names.size(); k++) {
      h.append("<li><svg width=\"22\" height=\"8\"><line x1=\"0\" y1=\"4\" x2=\"22\" y2=\"4\" stroke=\"")
          .append(color(k)).append("\" stroke-width=\"2.5\"").append(dash(k)).append("/></svg>")
          .append(Html.esc(names.get(k))).append("</li>");
    }
    h.append("</ul>");
  }

  private static String color(int k) {
    return PALETTE[k % PALETTE.length];
  }

  /** Past the palette, series differ by dash pattern too. */
  private static String dash(int k) {
    return switch (k / PALETTE.length % 3) {
      case 1 -> " stroke-dasharray=\"6 3\"";
      case 2 -> " stroke-dasharray=\"2 2\"";
      default -> "";
    };
  }

  private static double y(double v, double max, int height, int bottom) {
    return (height - bottom) - (height - bottom - 10) * v / max;
  }
}
