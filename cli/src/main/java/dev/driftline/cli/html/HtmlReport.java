package dev.driftline.cli.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.drift.DriftBins;
import dev.driftline.core.drift.DriftReport;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.methods.PcaReconstructionDriftTest;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.PerformanceMetric;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.RetrainTrigger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Self-contained HTML pages (inline CSS and SVG, no executable scripts, no network). From the
 * streaming jobs' topics ({@code drift-results}, {@code performance}, {@code retrain-triggers},
 * {@code alerts}, read as {@link ReportData}), per model: a drift heat map (feature × window), the
 * tests of flagged features, the data-quality checks that failed (kept out of the drift parts),
 * PSI and KS over time, performance with label coverage, and the retrain triggers and alerts, and
 * per flagged feature its distributions from the counts its PSI result carries. From a batch report
 * ({@link #renderBatch}): per feature, the reference and current distributions on the same bins
 * beside the test results. The charts are {@link SvgCharts}.
 */
public final class HtmlReport {
  private HtmlReport() {}

  public static void write(Path file, List<JsonNode> drift, List<JsonNode> performance, List<JsonNode> triggers,
      List<JsonNode> alerts) throws IOException {
    write(file, ReportData.of(drift, performance, triggers, alerts));
  }

  public static void write(Path file, ReportData report) throws IOException {
    Files.writeString(file, render(report), StandardCharsets.UTF_8);
  }

  public static String render(List<JsonNode> drift, List<JsonNode> performance, List<JsonNode> triggers, List<JsonNode> alerts) {
    return render(ReportData.of(drift, performance, triggers, alerts));
  }

  public static String render(ReportData report) {
    TreeSet<String> models = new TreeSet<>();
    report.drift().forEach(d -> models.add(d.modelId()));
    report.performance().forEach(p -> models.add(p.modelId()));
    StringBuilder h = head();
    ArrayNode shown = Json.mapper().createArrayNode();
    h.append("<h1>Driftline report</h1><p><small>").append(report.drift().size()).append(" drift results, ")
        .append(report.performance().size()).append(" performance updates, ").append(report.triggers().size())
        .append(" retrain triggers, ").append(report.alerts().size()).append(" alerts")
        .append(report.unreadable() == 0 ? "" : "; " + report.unreadable() + " documents not readable as Driftline records, left out")
        .append("</small></p>");
    for (String model : models) {
      h.append("<h2>").append(esc(model)).append("</h2>");
      List<DriftResult> all = report.drift().stream()
          .filter(d -> d.modelId().equals(model) && d.segment().equals(DriftResult.ALL_SEGMENTS)).toList();
      // Data-quality checks are not drift: their own table, not the heat map or the drift charts.
      List<DriftResult> md = all.stream().filter(d -> !d.isQuality()).toList();
      heatMap(h, md);
      flaggedTable(h, md);
      qualityTable(h, all.stream().filter(DriftResult::isQuality).toList());
      flaggedDistributions(h, model, md, shown);
      lineChart(h, "PSI per feature", md, "psi", 0.25);
      lineChart(h, "KS statistic per feature", md, "ks", Double.NaN);
      pcaChart(h, md);
      performanceChart(h, report.performance().stream()
          .filter(p -> p.modelId().equals(model) && p.segment().equals(DriftResult.ALL_SEGMENTS)).toList());
      triggerTable(h, report.triggers().stream().filter(t -> t.modelId().equals(model)).toList(),
          report.alerts().stream().filter(a -> a.modelId().equals(model)).toList());
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
    SvgCharts.barPairs(h, d);
    h.append("</div>");
    if (!results.isEmpty()) {
      h.append("<table><tr><th>test</th><th>statistic</th><th>p (adjusted)</th><th>threshold</th><th>method</th><th>n ref / cur</th><th>result</th></tr>");
      for (FeatureDrift r : results) {
        h.append("<tr><td>").append(esc(r.test())).append("</td><td>").append(fmt(r.statistic())).append("</td><td>")
            .append(pValues(r.pValue(), r.adjustedPValue()))
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

  /** {@code p (adjusted)}, {@code p}, or nothing for a test without a p-value. */
  private static String pValues(Double p, Double adjusted) {
    return p == null ? "" : fmt(p) + (adjusted == null ? "" : " (" + fmt(adjusted) + ")");
  }

  private static String fmt(double v) {
    return Html.num(v);
  }

  private static String esc(String s) {
    return Html.esc(s);
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

  private static void heatMap(StringBuilder h, List<DriftResult> drift) {
    TreeSet<String> windows = new TreeSet<>();
    TreeMap<String, Map<String, String>> cells = new TreeMap<>();
    for (DriftResult d : drift) {
      String w = d.windowStart();
      windows.add(w);
      Map<String, String> row = cells.computeIfAbsent(d.feature(), k -> new TreeMap<>());
      String level = d.drift() ? "d" : "moderate".equals(d.level()) ? "m" : "s";
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
  private static void flaggedTable(StringBuilder h, List<DriftResult> drift) {
    TreeMap<String, TreeSet<String>> flagged = new TreeMap<>();
    drift.stream().filter(DriftResult::drift)
        .forEach(d -> flagged.computeIfAbsent(d.feature(), k -> new TreeSet<>()).add(d.windowStart()));
    if (flagged.isEmpty()) {
      return;
    }
    h.append("<details><summary>Flagged features: tests in the latest window that flagged each (")
        .append(flagged.size()).append(")</summary><table><tr><th>feature</th><th>windows flagged</th><th>latest</th>")
        .append("<th>test</th><th>statistic</th><th>p (adjusted)</th><th>threshold</th><th>method</th><th>n ref / cur</th><th>result</th></tr>");
    flagged.forEach((feature, windows) -> {
      String last = windows.last();
      List<DriftResult> tests = drift.stream().filter(d -> d.feature().equals(feature) && d.windowStart().equals(last)).toList();
      boolean first = true;
      for (DriftResult t : tests) {
        h.append("<tr>");
        if (first) {
          h.append("<th rowspan=\"").append(tests.size()).append("\">").append(esc(feature)).append("</th><td rowspan=\"")
              .append(tests.size()).append("\">").append(windows.size()).append("</td><td rowspan=\"").append(tests.size())
              .append("\">").append(esc(last)).append("</td>");
          first = false;
        }
        h.append("<td>").append(esc(t.test())).append("</td><td>").append(fmt(t.statistic()))
            .append("</td><td>").append(pValues(t.pValue(), t.adjustedPValue()))
            .append("</td><td>").append(fmt(t.threshold())).append("</td><td>")
            .append(esc(t.method() == null ? "" : t.method())).append("</td><td>").append(t.nReference()).append(" / ")
            .append(t.nCurrent()).append("</td><td").append(t.drift() ? " class=\"drift\">drift" : ">no drift")
            .append(t.level() != null ? " (" + esc(t.level()) + ")" : "").append("</td></tr>");
      }
    });
    h.append("</table></details>");
  }

  /** The data-quality checks that failed, per feature and check: in how many windows, and the latest. */
  private static void qualityTable(StringBuilder h, List<DriftResult> quality) {
    if (quality.isEmpty()) {
      return;
    }
    TreeMap<String, List<DriftResult>> failed = new TreeMap<>();
    quality.stream().filter(DriftResult::drift)
        .forEach(d -> failed.computeIfAbsent(d.feature() + " " + d.test(), k -> new ArrayList<>()).add(d));
    if (failed.isEmpty()) {
      h.append("<p class=\"quality\"><small>Data-quality checks: none failed (").append(quality.size())
          .append(" results)</small></p>");
      return;
    }
    h.append("<details class=\"quality\"><summary>Data-quality checks that failed (").append(failed.size())
        .append(")</summary><table><tr><th>feature</th><th>check</th><th>windows failed</th><th>latest</th>")
        .append("<th>statistic</th><th>p</th><th>threshold</th><th>n ref / cur</th></tr>");
    failed.forEach((key, results) -> {
      DriftResult last = results.stream().max(Comparator.comparing(DriftResult::windowStart)).orElseThrow();
      h.append("<tr><th>").append(esc(last.feature())).append("</th><td>").append(esc(last.test()))
          .append("</td><td>").append(results.size()).append("</td><td>").append(esc(last.windowStart()))
          .append("</td><td>").append(fmt(last.statistic())).append("</td><td>")
          .append(last.pValue() != null ? fmt(last.pValue()) : "").append("</td><td>")
          .append(fmt(last.threshold())).append("</td><td>").append(last.nReference())
          .append(" / ").append(last.nCurrent()).append("</td></tr>");
    });
    h.append("</table></details>");
  }

  /**
   * Per flagged feature, the reference and the window's distributions of the latest window that
   * flagged it, drawn from the counts its PSI result carries ({@code bins}), beside that window's
   * tests. A feature whose results carry no counts (no PSI test, or results written before they
   * had them) is listed without a chart.
   */
  private static void flaggedDistributions(StringBuilder h, String model, List<DriftResult> drift, ArrayNode data) {
    TreeMap<String, String> latest = new TreeMap<>();
    // Multivariate results have no one feature's distribution: their own chart shows them.
    drift.stream().filter(d -> d.drift() && !PcaReconstructionDriftTest.FEATURE_TYPE.equals(d.featureType()))
        .forEach(d -> latest.merge(d.feature(), d.windowStart(), (a, b) -> a.compareTo(b) >= 0 ? a : b));
    if (latest.isEmpty()) {
      return;
    }
    h.append("<h3>Distributions of flagged features (latest window that flagged each)</h3>");
    List<String> without = new ArrayList<>();
    latest.forEach((feature, window) -> {
      // The last record of a (test, window) wins: label drift re-emits a window's results as labels arrive.
      Map<String, DriftResult> byTest = new LinkedHashMap<>();
      drift.stream().filter(d -> d.feature().equals(feature) && d.windowStart().equals(window))
          .forEach(d -> byTest.put(d.test(), d));
      List<FeatureDrift> tests = byTest.values().stream().map(HtmlReport::featureDrift).toList();
      DriftBins bins = byTest.values().stream().map(DriftResult::bins).filter(Objects::nonNull).findFirst().orElse(null);
      if (bins == null) {
        without.add(feature);
        return;
      }
      FeatureDistribution d = FeatureDistribution.of(feature, bins);
      ObjectNode f = data.addObject();
      f.put("model_id", model).put("window_start", window).put("window_end", byTest.values().iterator().next().windowEnd());
      distributionData(f, d, true, tests);
      distributionBlock(h, d, tests, "feature-" + model + "-" + feature, ", window " + esc(window));
    });
    if (!without.isEmpty()) {
      h.append("<p><small>No bin counts in the results of ").append(esc(String.join(", ", without)))
          .append(" (no PSI test, or results written before drift results carried them).</small></p>");
    }
  }

  /** The test outcome a drift result holds (without its bins, which the chart beside it draws). */
  private static FeatureDrift featureDrift(DriftResult d) {
    return new FeatureDrift(d.feature(), d.featureType(), d.test(), d.statistic(), d.pValue(), d.adjustedPValue(),
        d.threshold(), d.drift(), d.method(), d.methodReason(), d.nReference(), d.nCurrent(), d.level(), d.errorBound(),
        null);
  }

  private static int rank(String level) {
    return switch (level) {
      case "d" -> 3;
      case "m" -> 2;
      case "s" -> 1;
      default -> 0;
    };
  }

  private static void lineChart(StringBuilder h, String title, List<DriftResult> drift, String test, double limit) {
    TreeMap<String, TreeMap<String, Double>> series = new TreeMap<>();
    TreeSet<String> windows = new TreeSet<>();
    for (DriftResult d : drift) {
      if (d.test().equals(test)) {
        windows.add(d.windowStart());
        series.computeIfAbsent(d.feature(), k -> new TreeMap<>()).put(d.windowStart(), d.statistic());
      }
    }
    if (windows.isEmpty()) {
      return;
    }
    h.append("<h3>").append(esc(title)).append("</h3>");
    SvgCharts.lines(h, new ArrayList<>(windows), series, limit);
  }

  /**
   * Multivariate drift, when the model has it: each window's mean PCA reconstruction error between
   * the lines of its reference band (outside the band is drift).
   */
  private static void pcaChart(StringBuilder h, List<DriftResult> drift) {
    TreeMap<String, TreeMap<String, Double>> series = new TreeMap<>();
    TreeSet<String> windows = new TreeSet<>();
    for (DriftResult d : drift) {
      if (PcaReconstructionDriftTest.FEATURE_TYPE.equals(d.featureType())) {
        windows.add(d.windowStart());
        series.computeIfAbsent("mean reconstruction error", k -> new TreeMap<>()).put(d.windowStart(), d.statistic());
        if (d.thresholdLower() != null && d.thresholdUpper() != null) {
          series.computeIfAbsent("band lower end", k -> new TreeMap<>()).put(d.windowStart(), d.thresholdLower());
          series.computeIfAbsent("band upper end", k -> new TreeMap<>()).put(d.windowStart(), d.thresholdUpper());
        }
      }
    }
    if (windows.isEmpty()) {
      return;
    }
    h.append("<h3>Multivariate drift: ").append(esc(PcaReconstructionDriftTest.FEATURE)).append(" (pca_reconstruction)</h3>");
    SvgCharts.lines(h, new ArrayList<>(windows), series, Double.NaN);
  }

  private static void performanceChart(StringBuilder h, List<PerformanceResult> performance) {
    // Realized and estimated results are separate documents of a window: latest of each kind.
    TreeMap<String, PerformanceResult> last = new TreeMap<>();
    TreeMap<String, PerformanceResult> estimated = new TreeMap<>();
    performance.forEach(p -> (p.estimated() ? estimated : last).put(p.windowStart(), p));
    if (last.isEmpty() && estimated.isEmpty()) {
      return;
    }
    Map<String, Function<PerformanceResult, Double>> realizedMetrics = new LinkedHashMap<>();
    realizedMetrics.put("auc", PerformanceResult::auc);
    realizedMetrics.put("accuracy", PerformanceResult::accuracy);
    realizedMetrics.put("label_coverage", PerformanceResult::labelCoverage);
    TreeMap<String, TreeMap<String, Double>> series = new TreeMap<>();
    realizedMetrics.forEach((name, metric) -> series.put(name, values(last, metric)));
    // A multiclass model's: a line only where the model has them.
    for (PerformanceMetric m : List.of(PerformanceMetric.MACRO_F1, PerformanceMetric.MACRO_AUC)) {
      TreeMap<String, Double> s = values(last, p -> p.metric(m));
      if (!s.isEmpty()) {
        series.put(m.id(), s);
      }
    }
    Map<String, Function<PerformanceResult, Double>> estimatedMetrics = new LinkedHashMap<>();
    estimatedMetrics.put("auc", PerformanceResult::auc);
    estimatedMetrics.put("accuracy", PerformanceResult::accuracy);
    estimatedMetrics.forEach((name, metric) -> {
      TreeMap<String, Double> s = values(estimated, metric);
      if (!s.isEmpty()) {
        series.put("estimated " + name, s);
      }
    });
    TreeSet<String> windows = new TreeSet<>(last.keySet());
    windows.addAll(estimated.keySet());
    h.append("<h3>Performance (latest per window), estimated before labels, and label coverage</h3>");
    SvgCharts.lines(h, new ArrayList<>(windows), series, Double.NaN);
  }

  /** A metric per window, where the window has it. */
  private static TreeMap<String, Double> values(TreeMap<String, PerformanceResult> windows,
      Function<PerformanceResult, Double> metric) {
    TreeMap<String, Double> s = new TreeMap<>();
    windows.forEach((w, p) -> {
      Double v = metric.apply(p);
      if (v != null) {
        s.put(w, v);
      }
    });
    return s;
  }

  private static void triggerTable(StringBuilder h, List<RetrainTrigger> triggers, List<Alert> alerts) {
    h.append("<h3>Retrain triggers</h3>");
    if (triggers.isEmpty()) {
      h.append("<p><small>none</small></p>");
    } else {
      h.append("<table><tr><th>trigger</th><th>segment</th><th>reasons</th><th>training data</th><th>reference</th></tr>");
      for (RetrainTrigger t : triggers) {
        h.append("<tr><td class=\"crit\">").append(esc(t.triggerId())).append("</td><td>")
            .append(esc(t.segment())).append("</td><td>").append(esc(String.join("; ", t.reasons())))
            .append("</td><td>").append(esc(t.trainingFrom())).append(" – ")
            .append(esc(t.trainingTo())).append("</td><td>").append(esc(t.referenceId() == null ? "" : t.referenceId()))
            .append("</td></tr>");
      }
      h.append("</table>");
    }
    long warnings = alerts.stream().filter(a -> "warning".equals(a.severity())).count();
    h.append("<h3>Alerts</h3><p><small>").append(alerts.size()).append(" alerts, ").append(warnings)
        .append(" warnings; the latest 15:</small></p><table><tr><th>severity</th><th>kind</th><th>window</th><th>message</th></tr>");
    alerts.stream().sorted(Comparator.comparing(Alert::windowEnd, Comparator.nullsFirst(Comparator.<String>naturalOrder())).reversed())
        .limit(15)
        .forEach(a -> h.append("<tr><td class=\"").append("critical".equals(a.severity()) ? "crit" : "warn")
            .append("\">").append(esc(a.severity())).append("</td><td>").append(esc(a.kind()))
            .append("</td><td>").append(esc(a.windowStart())).append("</td><td>")
            .append(esc(a.message())).append("</td></tr>"));
    h.append("</table>");
  }
}
