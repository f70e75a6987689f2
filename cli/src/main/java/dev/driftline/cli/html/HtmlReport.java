package dev.driftline.cli.html;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A self-contained HTML page (inline CSS and SVG, no scripts, no network) of what the jobs
 * produced, per model: a drift heat map (feature × window), PSI and KS over time, performance with
 * label coverage, and the retrain triggers and alerts. Input: the JSON documents of the
 * {@code drift-results}, {@code performance}, {@code retrain-triggers} and {@code alerts} topics.
 */
public final class HtmlReport {
  private static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
      "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"};

  private HtmlReport() {}

  public static void write(Path file, List<JsonNode> drift, List<JsonNode> performance, List<JsonNode> triggers,
      List<JsonNode> alerts) throws IOException {
    Files.writeString(file, render(drift, performance, triggers, alerts), StandardCharsets.UTF_8);
  }

  public static String render(List<JsonNode> drift, List<JsonNode> performance, List<JsonNode> triggers, List<JsonNode> alerts) {
    TreeSet<String> models = new TreeSet<>();
    drift.forEach(d -> models.add(d.path("model_id").asText()));
    performance.forEach(d -> models.add(d.path("model_id").asText()));
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Driftline report</title><style>")
        .append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;max-width:1200px}")
        .append("h1{font-size:22px}h2{font-size:18px;margin-top:36px;border-bottom:1px solid #ddd;padding-bottom:4px}")
        .append("h3{font-size:14px;margin:18px 0 6px}table{border-collapse:collapse;font-size:12px}")
        .append("td,th{border:1px solid #e3e3e3;padding:3px 6px;text-align:left;vertical-align:top}")
        .append(".heat td{width:14px;height:14px;padding:0}.heat th{font-weight:normal;white-space:nowrap}")
        .append(".d{background:#d62728}.m{background:#ffbf80}.s{background:#dff0d8}.n{background:#f5f5f5}")
        .append(".legend span{display:inline-block;margin-right:12px}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}")
        .append(".crit{color:#b00020;font-weight:600}.warn{color:#a15c00}small{color:#666}</style></head><body>");
    h.append("<h1>Driftline report</h1><p><small>").append(drift.size()).append(" drift results, ")
        .append(performance.size()).append(" performance updates, ").append(triggers.size()).append(" retrain triggers, ")
        .append(alerts.size()).append(" alerts</small></p>");
    for (String model : models) {
      h.append("<h2>").append(esc(model)).append("</h2>");
      List<JsonNode> md = drift.stream().filter(d -> d.path("model_id").asText().equals(model)
          && d.path("segment").asText().equals("__all__")).toList();
      heatMap(h, md);
      lineChart(h, "PSI per feature", md, "psi", 0.25);
      lineChart(h, "KS statistic per feature", md, "ks", Double.NaN);
      performanceChart(h, performance.stream().filter(p -> p.path("model_id").asText().equals(model)
          && p.path("segment").asText().equals("__all__")).toList());
      triggerTable(h, triggers.stream().filter(t -> t.path("model_id").asText().equals(model)).toList(),
          alerts.stream().filter(a -> a.path("model_id").asText().equals(model)).toList());
    }
    return h.append("</body></html>").toString();
  }

  private static void heatMap(StringBuilder h, List<JsonNode> drift) {
    TreeSet<String> windows = new TreeSet<>();
    TreeMap<String, Map<String, String>> cells = new TreeMap<>();
    for (JsonNode d : drift) {
      String w = d.path("window_start").asText();
      windows.add(w);
      Map<String, String> row = cells.computeIfAbsent(d.path("feature").asText(), k -> new TreeMap<>());
      String level = d.path("drift").asBoolean() ? "d" : "moderate".equals(d.path("level").asText()) ? "m" : "s";
      row.merge(w, level, (a, b) -> rank(a) >= rank(b) ? a : b);
    }
    h.append("<h3>Drift flags (feature × window)</h3><table class=\"heat\"><tr><th></th>");
    int i = 0;
    for (String w : windows) {
      h.append("<th title=\"").append(esc(w)).append("\">").append(i++ % 6 == 0 ? esc(w.substring(11, 16)) : "").append("</th>");
    }
    h.append("</tr>");
    cells.forEach((feature, row) -> {
      h.append("<tr><th>").append(esc(feature)).append("</th>");
      for (String w : windows) {
        String c = row.getOrDefault(w, "n");
        h.append("<td class=\"").append(c).append("\" title=\"").append(esc(feature)).append(" ").append(esc(w)).append("\"></td>");
      }
      h.append("</tr>");
    });
    h.append("</table><p class=\"legend\"><span><i class=\"sw d\"></i>drift</span><span><i class=\"sw m\"></i>moderate PSI</span>")
        .append("<span><i class=\"sw s\"></i>stable</span><span><i class=\"sw n\"></i>no data</span></p>");
  }

  private static int rank(String level) {
    return switch (level) {
      case "d" -> 3;
      case "m" -> 2;
      case "s" -> 1;
      default -> 0;
    };
  }

  private static void lineChart(StringBuilder h, String title, List<JsonNode> drift, String test, double limit) {
    TreeMap<String, TreeMap<String, Double>> series = new TreeMap<>();
    TreeSet<String> windows = new TreeSet<>();
    for (JsonNode d : drift) {
      if (d.path("test").asText().equals(test)) {
        windows.add(d.path("window_start").asText());
        series.computeIfAbsent(d.path("feature").asText(), k -> new TreeMap<>())
            .put(d.path("window_start").asText(), d.path("statistic").asDouble());
      }
    }
    if (windows.isEmpty()) {
      return;
    }
    h.append("<h3>").append(esc(title)).append("</h3>");
    svg(h, new ArrayList<>(windows), series, limit);
  }

  private static void performanceChart(StringBuilder h, List<JsonNode> performance) {
    // Realized and estimated results are separate documents of a window: latest of each kind.
    TreeMap<String, JsonNode> last = new TreeMap<>();
    TreeMap<String, JsonNode> estimated = new TreeMap<>();
    performance.forEach(p -> (p.path("estimated").asBoolean() ? estimated : last).put(p.path("window_start").asText(), p));
    if (last.isEmpty() && estimated.isEmpty()) {
      return;
    }
    TreeMap<String, TreeMap<String, Double>> series = new TreeMap<>();
    for (String metric : new String[] {"auc", "accuracy", "label_coverage"}) {
      TreeMap<String, Double> s = new TreeMap<>();
      last.forEach((w, p) -> {
        if (p.hasNonNull(metric)) {
          s.put(w, p.get(metric).asDouble());
        }
      });
      series.put(metric, s);
    }
    for (String metric : new String[] {"auc", "accuracy"}) {
      TreeMap<String, Double> s = new TreeMap<>();
      estimated.forEach((w, p) -> {
        if (p.hasNonNull(metric)) {
          s.put(w, p.get(metric).asDouble());
        }
      });
      if (!s.isEmpty()) {
        series.put("estimated " + metric, s);
      }
    }
    java.util.TreeSet<String> windows = new java.util.TreeSet<>(last.keySet());
    windows.addAll(estimated.keySet());
    h.append("<h3>Performance (latest per window), estimated before labels, and label coverage</h3>");
    svg(h, new ArrayList<>(windows), series, Double.NaN);
  }

  private static void svg(StringBuilder h, List<String> windows, TreeMap<String, TreeMap<String, Double>> series, double limit) {
    int width = 900;
    int height = 220;
    int left = 40;
    int bottom = 20;
    double max = Double.isNaN(limit) ? 0 : limit;
    for (var s : series.values()) {
      for (double v : s.values()) {
        max = Math.max(max, v);
      }
    }
    max = max <= 0 ? 1 : max * 1.1;
    h.append("<svg width=\"").append(width + 160).append("\" height=\"").append(height + 10)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"10\">")
        .append("<line x1=\"").append(left).append("\" y1=\"").append(height - bottom).append("\" x2=\"").append(width)
        .append("\" y2=\"").append(height - bottom).append("\" stroke=\"#999\"/>");
    for (int t = 0; t <= 4; t++) {
      double v = max * t / 4;
      double y = y(v, max, height, bottom);
      h.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%.1f\">%.2f</text><line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>",
          y + 3, v, left, y, width, y));
    }
    if (!Double.isNaN(limit)) {
      double y = y(limit, max, height, bottom);
      h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/>",
          left, y, width, y));
    }
    int k = 0;
    for (var e : series.entrySet()) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < windows.size(); i++) {
        Double v = e.getValue().get(windows.get(i));
        if (v != null) {
          double x = left + (width - left) * (windows.size() == 1 ? 0.5 : (double) i / (windows.size() - 1));
          points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y(v, max, height, bottom)));
        }
      }
      String color = PALETTE[k % PALETTE.length];
      h.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\" points=\"")
          .append(points.toString().trim()).append("\"/>")
          .append("<text x=\"").append(width + 8).append("\" y=\"").append(14 + 13 * k).append("\" fill=\"").append(color)
          .append("\">").append(esc(e.getKey())).append("</text>");
      k++;
    }
    h.append("<text x=\"").append(left).append("\" y=\"").append(height - 4).append("\">").append(esc(windows.get(0)))
        .append("</text><text x=\"").append(width - 120).append("\" y=\"").append(height - 4).append("\">")
        .append(esc(windows.get(windows.size() - 1))).append("</text></svg>");
  }

  private static double y(double v, double max, int height, int bottom) {
    return (height - bottom) - (height - bottom - 10) * v / max;
  }

  private static void triggerTable(StringBuilder h, List<JsonNode> triggers, List<JsonNode> alerts) {
    h.append("<h3>Retrain triggers</h3>");
    if (triggers.isEmpty()) {
      h.append("<p><small>none</small></p>");
    } else {
      h.append("<table><tr><th>trigger</th><th>segment</th><th>reasons</th><th>training data</th><th>reference</th></tr>");
      for (JsonNode t : triggers) {
        List<String> reasons = new ArrayList<>();
        t.path("reasons").forEach(r -> reasons.add(r.asText()));
        h.append("<tr><td class=\"crit\">").append(esc(t.path("trigger_id").asText())).append("</td><td>")
            .append(esc(t.path("segment").asText())).append("</td><td>").append(esc(String.join("; ", reasons)))
            .append("</td><td>").append(esc(t.path("training_from").asText())).append(" – ")
            .append(esc(t.path("training_to").asText())).append("</td><td>").append(esc(t.path("reference_id").asText("")))
            .append("</td></tr>");
      }
      h.append("</table>");
    }
    long warnings = alerts.stream().filter(a -> a.path("severity").asText().equals("warning")).count();
    h.append("<h3>Alerts</h3><p><small>").append(alerts.size()).append(" alerts, ").append(warnings)
        .append(" warnings; the latest 15:</small></p><table><tr><th>severity</th><th>kind</th><th>window</th><th>message</th></tr>");
    alerts.stream().sorted((a, b) -> b.path("window_end").asText().compareTo(a.path("window_end").asText())).limit(15)
        .forEach(a -> h.append("<tr><td class=\"").append(a.path("severity").asText().equals("critical") ? "crit" : "warn")
            .append("\">").append(esc(a.path("severity").asText())).append("</td><td>").append(esc(a.path("kind").asText()))
            .append("</td><td>").append(esc(a.path("window_start").asText())).append("</td><td>")
            .append(esc(a.path("message").asText())).append("</td></tr>"));
    h.append("</table>");
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
