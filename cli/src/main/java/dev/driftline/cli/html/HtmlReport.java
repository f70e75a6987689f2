package dev.driftline.cli.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.drift.DriftBins;
import dev.driftline.core.drift.DriftReport;
import dev.driftline.core.drift.DriftTests;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Self-contained HTML pages (inline CSS and SVG, no executable scripts, no network). From the
 * streaming jobs' topics ({@code drift-results}, {@code performance}, {@code retrain-triggers},
 * {@code alerts}), per model: a drift heat map (feature × window), the tests of flagged features,
 * the data-quality checks that failed (kept out of the drift parts),
 * PSI and KS over time, performance with label coverage, and the retrain triggers and alerts, and
 * per flagged feature its distributions from the counts its PSI result carries. From
 * a batch report ({@link #renderBatch}): per feature, the reference and current distributions on
 * the same bins beside the test results. Axis ticks are {@link NiceTicks}.
 */
public final class HtmlReport {
  /** 20 colours told apart side by side (Tableau 20, darker of each pair first). */
  private static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
      "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
      "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5"};

  private HtmlReport() {}

  public static void write(Path file, List<JsonNode> drift, List<JsonNode> performance, List<JsonNode> triggers,
      List<JsonNode> alerts) throws IOException {
    Files.writeString(file, render(drift, performance, triggers, alerts), StandardCharsets.UTF_8);
  }

  public static String render(List<JsonNode> drift, List<JsonNode> performance, List<JsonNode> triggers, List<JsonNode> alerts) {
    TreeSet<String> models = new TreeSet<>();
    drift.forEach(d -> models.add(d.path("model_id").asText()));
    performance.forEach(d -> models.add(d.path("model_id").asText()));
    StringBuilder h = head();
    ArrayNode shown = Json.mapper().createArrayNode();
    h.append("<h1>Driftline report</h1><p><small>").append(drift.size()).append(" drift results, ")
        .append(performance.size()).append(" performance updates, ").append(triggers.size()).append(" retrain triggers, ")
        .append(alerts.size()).append(" alerts</small></p>");
    for (String model : models) {
      h.append("<h2>").append(esc(model)).append("</h2>");
      List<JsonNode> all = drift.stream().filter(d -> d.path("model_id").asText().equals(model)
          && d.path("segment").asText().equals("__all__")).toList();
      // Data-quality checks are not drift: their own table, not the heat map or the drift charts.
      List<JsonNode> md = all.stream().filter(d -> !isQuality(d)).toList();
      heatMap(h, md);
      flaggedTable(h, md);
      qualityTable(h, all.stream().filter(HtmlReport::isQuality).toList());
      flaggedDistributions(h, model, md, shown);
      lineChart(h, "PSI per feature", md, "psi", 0.25);
      lineChart(h, "KS statistic per feature", md, "ks", Double.NaN);
      performanceChart(h, performance.stream().filter(p -> p.path("model_id").asText().equals(model)
          && p.path("segment").asText().equals("__all__")).toList());
      triggerTable(h, triggers.stream().filter(t -> t.path("model_id").asText().equals(model)).toList(),
          alerts.stream().filter(a -> a.path("model_id").asText().equals(model)).toList());
    }
    ObjectNode data = Json.mapper().createObjectNode();
    data.set("features", shown);
    embed(h, data);
    return h.append("</body></html>").toString();
  }

  /** The numbers drawn, as JSON data (not code) for readers and tests. */
  private static void embed(StringBuilder h, ObjectNode data) {
    try {
      h.append("<script type=\"application/json\" id=\"driftline-data\">")
          .append(Json.mapper().writeValueAsString(data).replace("</", "<\\/")).append("</script>");
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize the report's data", e);
    }
  }

  /** The page of a batch report: per feature, the reference and current distributions and the test results. */
  public static void writeBatch(Path file, DriftReport report, List<FeatureDistribution> distributions) throws IOException {
    Files.writeString(file, renderBatch(report, distributions), StandardCharsets.UTF_8);
  }

  /**
   * A batch report's page. Drifted features come first, each with its distributions and tests; the
   * others follow in a collapsed section. The numbers drawn are also embedded, as JSON in {@code
   * <script type="application/json" id="driftline-data">} (data, not code), for readers and tests.
   */
  public static String renderBatch(DriftReport report, List<FeatureDistribution> distributions) {
    Map<String, List<FeatureDrift>> tests = new LinkedHashMap<>();
    report.results().forEach(r -> tests.computeIfAbsent(r.feature(), k -> new ArrayList<>()).add(r));
    StringBuilder h = head();
    h.append("<h1>Driftline report: ").append(esc(report.modelId())).append("</h1><p><small>current ")
        .append(esc(report.current())).append(" (").append(report.rows()).append(" rows) against profile ")
        .append(esc(report.profileId())).append("; multiple testing: ").append(esc(report.multipleTesting()))
        .append("</small></p><p><b>").append(report.featuresDrifted()).append(" of ").append(report.featuresTested())
        .append(" features drifted</b></p>");
    ObjectNode data = Json.mapper().createObjectNode();
    data.put("model_id", report.modelId()).put("current", report.current()).put("rows", report.rows());
    ArrayNode features = data.putArray("features");
    StringBuilder drifted = new StringBuilder();
    StringBuilder stable = new StringBuilder();
    int nStable = 0;
    for (FeatureDistribution d : distributions) {
      List<FeatureDrift> results = tests.getOrDefault(d.feature(), List.of());
      boolean isDrift = results.stream().anyMatch(r -> r.drift() && !r.isQuality());
      distributionData(features.addObject(), d, isDrift, results);
      distributionBlock(isDrift ? drifted : stable, d, results, "feature-" + d.feature(), "");
      nStable += isDrift ? 0 : 1;
    }
    embed(h, data);
    h.append("<h2>Drifted features</h2>");
    h.append(drifted.length() == 0 ? "<p><small>none</small></p>" : drifted);
    if (nStable > 0) {
      h.append("<details><summary>Features without drift (").append(nStable).append(")</summary>").append(stable)
          .append("</details>");
    }
    return h.append("</body></html>").toString();
  }

  /** One feature's entry in the embedded data: what its chart draws and its tests. */
  private static void distributionData(ObjectNode f, FeatureDistribution d, boolean isDrift, List<FeatureDrift> results) {
    f.put("feature", d.feature()).put("type", d.type()).put("drift", isDrift);
    ArrayNode edges = f.putArray("edges");
    for (double e : d.edges()) {
      edges.add(e);
    }
    ArrayNode labels = f.putArray("labels");
    d.labels().forEach(labels::add);
    ArrayNode ref = f.putArray("reference");
    ArrayNode cur = f.putArray("current");
    for (int i = 0; i < d.reference().length; i++) {
      ref.add(d.reference()[i]);
      cur.add(d.current()[i]);
    }
    ArrayNode t = f.putArray("tests");
    results.forEach(r -> t.add(Json.mapper().valueToTree(r)));
  }

  /**
   * One feature: reference and current shares per bin or category, its test results beside them;
   * {@code id} names the block in the page, {@code note} (HTML) follows the feature's name.
   */
  static void distributionBlock(StringBuilder h, FeatureDistribution d, List<FeatureDrift> results, String id, String note) {
    h.append("<div class=\"dist\" id=\"").append(esc(id)).append("\"><div><h4>").append(esc(d.feature()))
        .append(" <small>").append(esc(d.type())).append(d.type().equals("numeric") ? ", reference-quantile bins" : "")
        .append(note).append("</small></h4>");
    distributionChart(h, d);
    h.append("</div>");
    if (!results.isEmpty()) {
      h.append("<table><tr><th>test</th><th>statistic</th><th>p (adjusted)</th><th>threshold</th><th>method</th><th>n ref / cur</th><th>result</th></tr>");
      for (FeatureDrift r : results) {
        h.append("<tr><td>").append(esc(r.test())).append("</td><td>").append(fmt(r.statistic())).append("</td><td>")
            .append(r.pValue() == null ? "" : fmt(r.pValue()) + (r.adjustedPValue() == null ? "" : " (" + fmt(r.adjustedPValue()) + ")"))
            .append("</td><td>").append(fmt(r.threshold())).append("</td><td>").append(esc(r.method() == null ? "" : r.method()))
            .append("</td><td>").append(r.nReference()).append(" / ").append(r.nCurrent()).append("</td><td")
            .append(r.isQuality() ? (r.drift() ? " class=\"drift\">failed" : ">passed")
                : r.drift() ? " class=\"drift\">drift" : ">no drift")
            .append(r.level() == null ? "" : " (" + esc(r.level()) + ")").append("</td></tr>");
      }
      h.append("</table>");
    }
    h.append("</div>");
  }

  /** Bar pairs, reference (grey) beside current (blue), as shares of each side's total. */
  static void distributionChart(StringBuilder h, FeatureDistribution d) {
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
    h.append("<svg class=\"distribution\" data-feature=\"").append(esc(d.feature())).append("\" width=\"").append(width)
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
          lx, ly, lx, ly)).append(esc(shown)).append("<title>").append(esc(label)).append("</title></text>");
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
        .append("<title>").append(esc(title)).append(count).append(String.format(Locale.ROOT, " (%.1f%%)", 100 * share))
        .append("</title></rect>");
  }

  private static String fmt(double v) {
    if (v == 0 || (Math.abs(v) >= 1e-4 && Math.abs(v) < 1e6)) {
      return String.format(Locale.ROOT, "%.4f", v);
    }
    return String.format(Locale.ROOT, "%.3e", v);
  }

  private static StringBuilder head() {
    return new StringBuilder()
        .append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Driftline report</title><style>")
        .append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;max-width:1320px}")
        .append("h1{font-size:22px}h2{font-size:18px;margin-top:36px;border-bottom:1px solid #ddd;padding-bottom:4px}")
        .append("h3{font-size:14px;margin:18px 0 6px}table{border-collapse:collapse;font-size:12px}")
        .append("td,th{border:1px solid #e3e3e3;padding:3px 6px;text-align:left;vertical-align:top}")
        .append(".heat td{width:14px;height:14px;padding:0}.heat th{font-weight:normal;white-space:nowrap}")
        .append(".d{background:#d62728}.m{background:#ffbf80}.s{background:#dff0d8}.n{background:#f5f5f5}")
        .append(".legend span{display:inline-block;margin-right:12px}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}")
        .append(".keys{list-style:none;padding:0;margin:2px 0 8px 48px;display:flex;flex-wrap:wrap;font-size:12px;max-width:860px}")
        .append(".keys li{width:170px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;margin:1px 0}.keys svg{margin-right:4px}")
        .append(".dist{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start;margin:8px 0 20px}.dist h4{margin:0 0 4px;font-size:13px}")
        .append(".drift{color:#b00020;font-weight:600}summary{cursor:pointer;font-size:14px;margin:18px 0 6px}")
        .append(".crit{color:#b00020;font-weight:600}.warn{color:#a15c00}small{color:#666}</style></head><body>");
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

  /** Per flagged feature, its tests in the latest window that flagged it, and how many windows flagged it. */
  private static void flaggedTable(StringBuilder h, List<JsonNode> drift) {
    TreeMap<String, TreeSet<String>> flagged = new TreeMap<>();
    drift.stream().filter(d -> d.path("drift").asBoolean())
        .forEach(d -> flagged.computeIfAbsent(d.path("feature").asText(), k -> new TreeSet<>()).add(d.path("window_start").asText()));
    if (flagged.isEmpty()) {
      return;
    }
    h.append("<details><summary>Flagged features: tests in the latest window that flagged each (")
        .append(flagged.size()).append(")</summary><table><tr><th>feature</th><th>windows flagged</th><th>latest</th>")
        .append("<th>test</th><th>statistic</th><th>p (adjusted)</th><th>threshold</th><th>method</th><th>n ref / cur</th><th>result</th></tr>");
    flagged.forEach((feature, windows) -> {
      String last = windows.last();
      List<JsonNode> tests = drift.stream().filter(d -> d.path("feature").asText().equals(feature)
          && d.path("window_start").asText().equals(last)).toList();
      boolean first = true;
      for (JsonNode t : tests) {
        h.append("<tr>");
        if (first) {
          h.append("<th rowspan=\"").append(tests.size()).append("\">").append(esc(feature)).append("</th><td rowspan=\"")
              .append(tests.size()).append("\">").append(windows.size()).append("</td><td rowspan=\"").append(tests.size())
              .append("\">").append(esc(last)).append("</td>");
          first = false;
        }
        h.append("<td>").append(esc(t.path("test").asText())).append("</td><td>").append(fmt(t.path("statistic").asDouble()))
            .append("</td><td>").append(t.hasNonNull("p_value") ? fmt(t.get("p_value").asDouble())
                + (t.hasNonNull("adjusted_p_value") ? " (" + fmt(t.get("adjusted_p_value").asDouble()) + ")" : "") : "")
            .append("</td><td>").append(fmt(t.path("threshold").asDouble())).append("</td><td>")
            .append(esc(t.path("method").asText(""))).append("</td><td>").append(t.path("n_reference").asLong()).append(" / ")
            .append(t.path("n_current").asLong()).append("</td><td").append(t.path("drift").asBoolean() ? " class=\"drift\">drift" : ">no drift")
            .append(t.hasNonNull("level") ? " (" + esc(t.get("level").asText()) + ")" : "").append("</td></tr>");
      }
    });
    h.append("</table></details>");
  }

  private static boolean isQuality(JsonNode result) {
    return DriftTests.isQualityCheck(result.path("test").asText());
  }

  /** The data-quality checks that failed, per feature and check: in how many windows, and the latest. */
  private static void qualityTable(StringBuilder h, List<JsonNode> quality) {
    if (quality.isEmpty()) {
      return;
    }
    TreeMap<String, List<JsonNode>> failed = new TreeMap<>();
    quality.stream().filter(d -> d.path("drift").asBoolean()).forEach(d -> failed.computeIfAbsent(
        d.path("feature").asText() + " " + d.path("test").asText(), k -> new ArrayList<>()).add(d));
    if (failed.isEmpty()) {
      h.append("<p class=\"quality\"><small>Data-quality checks: none failed (").append(quality.size())
          .append(" results)</small></p>");
      return;
    }
    h.append("<details class=\"quality\"><summary>Data-quality checks that failed (").append(failed.size())
        .append(")</summary><table><tr><th>feature</th><th>check</th><th>windows failed</th><th>latest</th>")
        .append("<th>statistic</th><th>p</th><th>threshold</th><th>n ref / cur</th></tr>");
    failed.forEach((key, results) -> {
      JsonNode last = results.stream().max(java.util.Comparator.comparing(d -> d.path("window_start").asText())).orElseThrow();
      h.append("<tr><th>").append(esc(last.path("feature").asText())).append("</th><td>").append(esc(last.path("test").asText()))
          .append("</td><td>").append(results.size()).append("</td><td>").append(esc(last.path("window_start").asText()))
          .append("</td><td>").append(fmt(last.path("statistic").asDouble())).append("</td><td>")
          .append(last.hasNonNull("p_value") ? fmt(last.get("p_value").asDouble()) : "").append("</td><td>")
          .append(fmt(last.path("threshold").asDouble())).append("</td><td>").append(last.path("n_reference").asLong())
          .append(" / ").append(last.path("n_current").asLong()).append("</td></tr>");
    });
    h.append("</table></details>");
  }

  /**
   * Per flagged feature, the reference and the window's distributions of the latest window that
   * flagged it, drawn from the counts its PSI result carries ({@code bins}), beside that window's
   * tests. A feature whose results carry no counts (no PSI test, or results written before they
   * had them) is listed without a chart.
   */
  private static void flaggedDistributions(StringBuilder h, String model, List<JsonNode> drift, ArrayNode data) {
    TreeMap<String, String> latest = new TreeMap<>();
    drift.stream().filter(d -> d.path("drift").asBoolean())
        .forEach(d -> latest.merge(d.path("feature").asText(), d.path("window_start").asText(), (a, b) -> a.compareTo(b) >= 0 ? a : b));
    if (latest.isEmpty()) {
      return;
    }
    h.append("<h3>Distributions of flagged features (latest window that flagged each)</h3>");
    List<String> without = new ArrayList<>();
    latest.forEach((feature, window) -> {
      // The last record of a (test, window) wins: label drift re-emits a window's results as labels arrive.
      Map<String, JsonNode> byTest = new LinkedHashMap<>();
      drift.stream().filter(d -> d.path("feature").asText().equals(feature) && d.path("window_start").asText().equals(window))
          .forEach(d -> byTest.put(d.path("test").asText(), d));
      List<FeatureDrift> tests = byTest.values().stream().map(HtmlReport::featureDrift).toList();
      DriftBins bins = byTest.values().stream().map(HtmlReport::bins).filter(java.util.Objects::nonNull).findFirst().orElse(null);
      if (bins == null) {
        without.add(feature);
        return;
      }
      FeatureDistribution d = FeatureDistribution.of(feature, bins);
      ObjectNode f = data.addObject();
      f.put("model_id", model).put("window_start", window)
          .put("window_end", byTest.values().iterator().next().path("window_end").asText());
      distributionData(f, d, true, tests);
      distributionBlock(h, d, tests, "feature-" + model + "-" + feature, ", window " + esc(window));
    });
    if (!without.isEmpty()) {
      h.append("<p><small>No bin counts in the results of ").append(esc(String.join(", ", without)))
          .append(" (no PSI test, or results written before drift results carried them).</small></p>");
    }
  }

  /** The test outcome a drift result document holds. */
  private static FeatureDrift featureDrift(JsonNode d) {
    return new FeatureDrift(d.path("feature").asText(), d.path("feature_type").asText(), d.path("test").asText(),
        d.path("statistic").asDouble(), d.hasNonNull("p_value") ? d.get("p_value").asDouble() : null,
        d.hasNonNull("adjusted_p_value") ? d.get("adjusted_p_value").asDouble() : null, d.path("threshold").asDouble(),
        d.path("drift").asBoolean(), d.hasNonNull("method") ? d.get("method").asText() : null,
        d.hasNonNull("method_reason") ? d.get("method_reason").asText() : null, d.path("n_reference").asLong(),
        d.path("n_current").asLong(), d.hasNonNull("level") ? d.get("level").asText() : null,
        d.hasNonNull("error_bound") ? d.get("error_bound").asDouble() : null, null);
  }

  /** A drift result's {@code bins}, or null when it has none or they do not read as bins. */
  private static DriftBins bins(JsonNode d) {
    if (!d.path("bins").isObject()) {
      return null;
    }
    try {
      return Json.mapper().treeToValue(d.get("bins"), DriftBins.class);
    } catch (IOException | IllegalArgumentException unreadable) {
      return null; // drawn from what the page can read; the tests are still listed
    }
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
    for (var e : series.entrySet()) {
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
          .append(esc(e.getKey())).append("</title></polyline>");
      names.add(e.getKey());
      k++;
    }
    h.append("<text x=\"").append(left).append("\" y=\"").append(height - 4).append("\">").append(esc(windows.get(0)))
        .append("</text><text x=\"").append(width - 120).append("\" y=\"").append(height - 4).append("\">")
        .append(esc(windows.get(windows.size() - 1))).append("</text></svg>");
    legend(h, names);
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
          .append(esc(names.get(k))).append("</li>");
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
